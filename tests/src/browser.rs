//! A real browser for the workbench tests and the screenshots in `docs/testing.md`: Debian's
//! headless `chromium`, driven over WebDriver through `chromedriver` (both from Debian packages,
//! which `.ci/run` installs). `POCKYT_CHROMEDRIVER` and `POCKYT_CHROMIUM` name other binaries.

use std::net::TcpListener;
use std::os::unix::process::CommandExt;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use fantoccini::{Client, ClientBuilder};
use hyper_util::client::legacy::connect::HttpConnector;
use serde_json::json;

/// How long the first session may take: a cold start of chromium on a fresh two-core machine
/// takes seconds, not the milliseconds [`crate::PATIENCE`] is sized for.
pub const START_PATIENCE: Duration = Duration::from_secs(60);

/// What a headless Chromium needs on a closed network, as root, in a container: no sandbox, no
/// GPU, and none of the background traffic to Google's hosts (refused here, and slow to fail).
const CHROMIUM_FLAGS: &[&str] = &[
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--disable-dev-shm-usage",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
];

/// A chromedriver process and one browser session in it. Ends both when dropped.
pub struct Browser {
    /// The WebDriver session.
    pub client: Client,
    driver: Child,
    profile: PathBuf,
}

impl Browser {
    /// Starts chromedriver on a free loopback port and opens a session with a window of
    /// `width` × `height` CSS pixels (what a screenshot shows) and a fresh profile.
    ///
    /// # Panics
    /// If either binary is missing (the message says which package to install) or the session
    /// does not start within [`START_PATIENCE`].
    pub async fn start(width: u32, height: u32) -> Browser {
        let driver_bin =
            std::env::var("POCKYT_CHROMEDRIVER").unwrap_or_else(|_| "chromedriver".to_owned());
        let chromium =
            std::env::var("POCKYT_CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".to_owned());
        let port = free_port();
        let profile =
            std::env::temp_dir().join(format!("pockyt-chromium-{}-{port}", std::process::id()));
        std::fs::create_dir_all(&profile).expect("a profile directory");
        // A process group of its own, so that dropping it also ends the browsers it started.
        let driver = Command::new(&driver_bin)
            .arg(format!("--port={port}"))
            .process_group(0)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| {
                panic!("cannot start {driver_bin} (apt-get install chromium chromium-driver): {e}")
            });
        let mut args: Vec<String> = CHROMIUM_FLAGS.iter().map(|f| (*f).to_owned()).collect();
        args.push(format!("--user-data-dir={}", profile.display()));
        args.push(format!("--window-size={width},{height}"));
        let mut capabilities = serde_json::Map::new();
        capabilities.insert(
            "goog:chromeOptions".to_owned(),
            json!({ "binary": chromium, "args": args }),
        );
        let mut builder = ClientBuilder::new(HttpConnector::new());
        builder.capabilities(capabilities);
        let url = format!("http://127.0.0.1:{port}");
        // chromedriver takes a moment to listen; a refused connection fails at once, so this
        // retries until the session opens or patience runs out.
        let connect = async {
            loop {
                match builder.connect(&url).await {
                    Ok(client) => break client,
                    Err(
                        fantoccini::error::NewSessionError::Failed(_)
                        | fantoccini::error::NewSessionError::FailedC(_),
                    ) => tokio::task::yield_now().await,
                    Err(e) => panic!("chromedriver refused a session: {e}"),
                }
            }
        };
        let client = tokio::time::timeout(START_PATIENCE, connect)
            .await
            .expect("chromedriver opens a session");
        Browser {
            client,
            driver,
            profile,
        }
    }

    /// Ends the session (closing the browser) before the driver stops.
    pub async fn close(self) {
        let _ = self.client.clone().close().await;
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        // After a failed test the session is still open: end chromium with its driver.
        let _ = Command::new("kill")
            .args(["-KILL", "--", &format!("-{}", self.driver.id())])
            .status();
        let _ = self.driver.kill();
        let _ = self.driver.wait();
        let _ = std::fs::remove_dir_all(&self.profile);
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free loopback port")
        .port()
}
