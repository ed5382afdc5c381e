//! Through a real proxy server: Debian's tinyproxy, started here on loopback, in front of the
//! simulator behind TLS. Run by `.ci/run`, which installs tinyproxy:
//! `cargo test -p pockyt-e2e --features tinyproxy --test it tinyproxy::`.

use std::process::{Child, Command, Stdio};

use pockyt::types::*;
use pockyt::{Client, Config, RetryPolicy};
use pockyt_e2e::{PATIENCE, World};
use pockyt_mock::Merchant;
use pockyt_transport::HyperTransport;
use tokio::net::TcpStream;

/// tinyproxy in the foreground on a free loopback port, killed when dropped.
struct Tinyproxy {
    child: Child,
    port: u16,
    _dir: std::path::PathBuf,
}

impl Drop for Tinyproxy {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn tinyproxy() -> Tinyproxy {
    let binary = std::env::var("POCKYT_TINYPROXY").unwrap_or_else(|_| "tinyproxy".to_owned());
    let port = pockyt_e2e::free_port();
    let dir = std::env::temp_dir().join(format!("pockyt-tinyproxy-{}-{port}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let conf = dir.join("tinyproxy.conf");
    // No ConnectPort line: CONNECT to any port (the TLS front's is random).
    std::fs::write(
        &conf,
        format!(
            "Port {port}\nListen 127.0.0.1\nTimeout 30\nAllow 127.0.0.1\nMaxClients 16\nLogLevel Error\n"
        ),
    )
    .unwrap();
    let child = Command::new(&binary)
        .arg("-d")
        .arg("-c")
        .arg(&conf)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot start {binary} (apt-get install tinyproxy): {e}"));
    Tinyproxy {
        child,
        port,
        _dir: dir,
    }
}

/// Waits until tinyproxy accepts connections (it starts in a few milliseconds).
async fn ready(port: u16) {
    // A refused connection fails at once; yielding between tries keeps this loop cheap.
    let up = async {
        while TcpStream::connect(("127.0.0.1", port)).await.is_err() {
            tokio::task::yield_now().await;
        }
    };
    tokio::time::timeout(PATIENCE, up)
        .await
        .expect("tinyproxy is listening");
}

#[tokio::test]
async fn a_checkout_through_tinyproxy() {
    let proxy = tinyproxy();
    ready(proxy.port).await;
    let world = World::start().await;
    let (tls, cert) = pockyt_e2e::tls_front(world.gateway.addr(), "localhost").await;
    let transport = HyperTransport::builder()
        .built_in_roots(false)
        .add_root_certificate_der(cert)
        .proxy(format!("http://127.0.0.1:{}", proxy.port))
        .build()
        .unwrap();
    let config = || {
        Config::new("200043", "300014", Merchant::DEMO_TOKEN)
            .unwrap()
            .with_base_url(format!("https://localhost:{}", tls.port()))
            .with_retry(RetryPolicy::never())
    };
    let client = Client::builder(config())
        .transport(transport)
        .build()
        .unwrap();
    world.paid_through(&client, "6.60", "tinyproxy-1").await;

    // The calls went through tinyproxy: without it, a fresh client cannot get there.
    let port = proxy.port;
    drop(proxy);
    let transport = HyperTransport::builder()
        .built_in_roots(false)
        .proxy(format!("http://127.0.0.1:{port}"))
        .build()
        .unwrap();
    let err = Client::builder(config())
        .transport(transport)
        .build()
        .unwrap()
        .tran_query(&TranQueryRequest::new().reference("x"))
        .await
        .unwrap_err();
    assert_eq!(
        err.transport_error().map(|e| e.kind()),
        Some(pockyt::TransportErrorKind::Proxy),
        "{err}"
    );
}
