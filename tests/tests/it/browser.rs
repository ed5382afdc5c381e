//! The workbench in a real browser: Debian's headless chromium, driven over WebDriver. Run by
//! `.ci/run`, which installs `chromium` and `chromium-driver`:
//! `cargo test -p pockyt-e2e --features browser --test it browser::`.

use fantoccini::Locator;
use pockyt::types::*;
use pockyt_e2e::browser::Browser;
use pockyt_e2e::{PATIENCE, World};
use pockyt_mock::{MockGateway, Until};

const SCRIPT: &str = "<script>alert(1)</script>";

#[tokio::test]
async fn a_developer_pays_in_the_cashier_and_refunds_from_the_dashboard() {
    let world = World::start_with(MockGateway::builder().workbench_actions(true)).await;
    let base = world.gateway.base_url();
    // The shopper comes back to the payment's own workbench page, so the whole walk stays here.
    let payment = world
        .client
        .secure_pay(
            &world
                .payment("12.34", "browser-1")
                .callback_url(format!("{base}/payments/{{transactionNo}}"))
                .description("Two mugs"),
        )
        .await
        .unwrap();
    let number = payment.transaction_no.unwrap();
    let browser = Browser::start(1100, 800).await;
    let web = &browser.client;

    // The dashboard lists it; its number leads to its page, and that page to the cashier.
    web.goto(&format!("{base}/")).await.unwrap();
    let row = web
        .find(Locator::XPath(&format!(
            "//table[@id='payments']//tr[td/a[text()='{number}']]"
        )))
        .await
        .unwrap();
    let cells = row.text().await.unwrap();
    assert!(
        cells.contains("init") && cells.contains("12.34 USD") && cells.contains("browser-1"),
        "{cells}"
    );
    click(web, Locator::LinkText(&number)).await;
    let payment_heading = format!("//h1[text()='Payment {number}']");
    arrive(web, Locator::XPath(&payment_heading)).await;
    assert_eq!(text(web, "#reference").await, "browser-1");
    click(web, Locator::Id("cashier")).await;
    arrive(
        web,
        Locator::XPath("//h1[text()='Pockyt simulator cashier']"),
    )
    .await;
    assert_eq!(text(web, "#amount").await, "12.34 USD");
    assert_eq!(text(web, "#description").await, "Two mugs");

    // Paying by clicking: the gateway records it, notifies the merchant, and sends the shopper
    // back to the callback (the payment's page, where the notification shows).
    click(web, Locator::Id("pay")).await;
    arrive(web, Locator::XPath(&payment_heading)).await;
    world
        .gateway
        .ipn()
        .wait(Until::Acknowledged(&number), PATIENCE)
        .await
        .unwrap();
    web.refresh().await.unwrap();
    assert_eq!(text(web, "#status").await, "success");
    let attempt = text(web, "#attempts tr:nth-child(2)").await;
    assert!(
        attempt.contains(&world.receiver.url()) && attempt.contains("200"),
        "the attempt names the merchant's URL and its HTTP status: {attempt}"
    );
    let answer = text(web, "#attempts tr:nth-child(2) td:nth-child(6)").await;
    assert_eq!(answer, "success", "the handler's answer");
    let acknowledged = text(web, "#attempts tr:nth-child(2) td:nth-child(7)").await;
    assert_eq!(acknowledged, "yes");

    // A part refund from the dashboard, which the client then sees.
    web.find(Locator::Id("refund-amount"))
        .await
        .unwrap()
        .send_keys("2.34")
        .await
        .unwrap();
    click(web, Locator::Id("refund")).await;
    // Back on the payment's page, which shows what is left.
    arrive(web, Locator::XPath("//p[text()='Left to refund: 10.00']")).await;
    let found = world
        .client
        .tran_query(&TranQueryRequest::new().transaction_no(number.as_str()))
        .await
        .unwrap();
    let refunded: Vec<String> = found
        .refund_info
        .iter()
        .filter_map(|r| r.refund_amount.as_ref().map(|a| a.to_string()))
        .collect();
    assert_eq!(refunded, ["2.34"]);
    browser.close().await;
}

#[tokio::test]
async fn a_script_in_a_reference_is_shown_as_text() {
    let world = World::start().await;
    world
        .client
        .secure_pay(&world.payment("1.00", SCRIPT))
        .await
        .unwrap();
    let browser = Browser::start(1100, 800).await;
    let web = &browser.client;
    web.goto(&format!("{}/", world.gateway.base_url()))
        .await
        .unwrap();
    let reference = text(web, "#payments tr:nth-child(2) td:nth-child(4)").await;
    assert_eq!(reference, SCRIPT, "the reference reads as typed");
    let scripts = web
        .execute("return document.scripts.length", vec![])
        .await
        .unwrap();
    assert_eq!(scripts, 0, "no script element made it into the page");
    assert!(
        web.get_alert_text().await.is_err(),
        "and no alert was raised"
    );
    browser.close().await;
}

async fn click(web: &fantoccini::Client, what: Locator<'_>) {
    web.find(what)
        .await
        .unwrap_or_else(|e| panic!("{what:?} on the page: {e}"))
        .click()
        .await
        .unwrap();
}

/// Waits until the page a click led to shows `what` (chromedriver waits for the navigation a
/// click starts; this also holds if it returns first).
async fn arrive(web: &fantoccini::Client, what: Locator<'_>) {
    web.wait()
        .at_most(PATIENCE)
        .for_element(what)
        .await
        .unwrap_or_else(|e| panic!("{what:?} never appeared: {e}"));
}

/// The visible text of the element `css` selects.
async fn text(web: &fantoccini::Client, css: &str) -> String {
    web.find(Locator::Css(css))
        .await
        .unwrap_or_else(|e| panic!("{css} on the page: {e}"))
        .text()
        .await
        .unwrap()
}
