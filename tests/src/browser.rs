//! A real browser for the workbench tests and the screenshots in `crates/pockyt-mock/guide/testing.md`: Debian's
//! headless `chromium`, driven over WebDriver through `chromedriver` (both from Debian packages,
//! which `.ci/run` installs). `POCKYT_CHROMEDRIVER` and `POCKYT_CHROMIUM` name other binaries
//! (chromedriver otherwise finds chromium by itself).

use std::io::{BufRead, BufReader};
use std::os::unix::process::CommandExt;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use fantoccini::{Client, ClientBuilder};
use hyper_util::client::legacy::connect::HttpConnector;
use serde_json::json;

use crate::free_port;

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
    // Dropped after the client: the driver outlives the session it serves.
    _driver: Driver,
}

impl Browser {
    /// Starts chromedriver on a free loopback port and opens a session with a window of
    /// `width` × `height` CSS pixels (what a screenshot shows) and a fresh profile.
    ///
    /// # Panics
    /// If either binary is missing (the message says which package to install) or the session
    /// does not start within [`START_PATIENCE`].
    pub async fn start(width: u32, height: u32) -> Browser {
        let driver = Driver::start().await;
        let mut args: Vec<String> = CHROMIUM_FLAGS.iter().map(|f| (*f).to_owned()).collect();
        args.push(format!("--user-data-dir={}", driver.profile.display()));
        args.push(format!("--window-size={width},{height}"));
        let mut options = json!({ "args": args });
        // Debian's chromedriver finds Debian's chromium by itself.
        if let Ok(binary) = std::env::var("POCKYT_CHROMIUM") {
            options["binary"] = json!(binary);
        }
        let mut capabilities = serde_json::Map::new();
        capabilities.insert("goog:chromeOptions".to_owned(), options);
        let mut builder = ClientBuilder::new(HttpConnector::new());
        builder.capabilities(capabilities);
        let url = format!("http://127.0.0.1:{}", driver.port);
        let session = builder.connect(&url);
        let client = match tokio::time::timeout(START_PATIENCE, session).await {
            Ok(Ok(client)) => client,
            Ok(Err(e)) => panic!("chromedriver opened no session: {e}"),
            Err(_) => panic!("chromedriver opened no session in {START_PATIENCE:?}"),
        };
        Browser {
            client,
            _driver: driver,
        }
    }

    /// Ends the session (closing the browser) before the driver stops.
    pub async fn close(self) {
        let _ = self.client.clone().close().await;
    }
}

/// The chromedriver process, its port and the browser profile; killed and removed when dropped,
/// including after a failed start.
struct Driver {
    child: Child,
    port: u16,
    profile: PathBuf,
}

impl Driver {
    /// Starts chromedriver and waits for it to say it listens (it prints a line when it does).
    async fn start() -> Driver {
        let binary =
            std::env::var("POCKYT_CHROMEDRIVER").unwrap_or_else(|_| "chromedriver".to_owned());
        let port = free_port();
        let profile =
            std::env::temp_dir().join(format!("pockyt-chromium-{}-{port}", std::process::id()));
        std::fs::create_dir_all(&profile).expect("a profile directory");
        // A process group of its own, so that dropping it also ends the browsers it started.
        let child = Command::new(&binary)
            .arg(format!("--port={port}"))
            .process_group(0)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| {
                panic!("cannot start {binary} (apt-get install chromium chromium-driver): {e}")
            });
        let mut driver = Driver {
            child,
            port,
            profile,
        };
        let stdout = driver.child.stdout.take().expect("piped stdout");
        let (ready, listening) = tokio::sync::oneshot::channel();
        // Reads to the end, so the pipe never fills; says whether the ready line came first.
        std::thread::spawn(move || {
            let mut ready = Some(ready);
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if line.contains("started successfully")
                    && let Some(ready) = ready.take()
                {
                    let _ = ready.send(());
                }
            }
        });
        match tokio::time::timeout(START_PATIENCE, listening).await {
            Ok(Ok(())) => driver,
            // The sender went away without the line: chromedriver exited (say, the port was taken).
            Ok(Err(_)) => panic!(
                "{binary} exited before listening on port {port}: {:?}",
                driver.child.try_wait()
            ),
            Err(_) => panic!("{binary} did not listen on port {port} in {START_PATIENCE:?}"),
        }
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        // After a failed test the session is still open: end chromium with its driver.
        let _ = Command::new("kill")
            .args(["-KILL", "--", &format!("-{}", self.child.id())])
            .status();
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.profile);
    }
}
