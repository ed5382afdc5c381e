//! Who the client is (merchant, store, key), where it talks to, and how patient it is.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use pockyt_sign::SigningKey;
use pockyt_transport::TransportError;
use pockyt_types::Identity;

use crate::retry::RetryPolicy;

/// Which gateway the client talks to.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Environment {
    /// Pockyt's sandbox, `https://mapi.yuansferdev.com`. Sandbox and production use different tokens.
    Sandbox,
    /// Production, `https://mapi.yuansfer.com`.
    Production,
    /// Any other base URL, e.g. the local simulator `http://127.0.0.1:PORT`, or the newer hosts some
    /// of Pockyt's docs pages show, `https://mapi.pockyt.io` and `https://mapi.pockyt.com` (every
    /// official SDK still uses the two above). Plain `http` is accepted only for loopback hosts, so a
    /// typo cannot send a token over the internet unencrypted.
    Custom(String),
}

impl Environment {
    /// The sandbox base URL.
    pub const SANDBOX_URL: &'static str = "https://mapi.yuansferdev.com";
    /// The production base URL.
    pub const PRODUCTION_URL: &'static str = "https://mapi.yuansfer.com";

    /// The base URL, without a trailing slash.
    pub fn base_url(&self) -> &str {
        match self {
            Self::Sandbox => Self::SANDBOX_URL,
            Self::Production => Self::PRODUCTION_URL,
            Self::Custom(url) => url.trim_end_matches('/'),
        }
    }

    fn validate(&self) -> Result<(), ConfigError> {
        // The URL as given: trimming `https://` of its slashes would hide that it has no host.
        let url = match self {
            Self::Custom(url) => url.as_str(),
            other => other.base_url(),
        };
        let invalid = |reason: &'static str| ConfigError::BaseUrl {
            url: url.to_owned(),
            reason,
        };
        let scheme = url
            .split_once("://")
            .map(|(scheme, _)| scheme.to_ascii_lowercase());
        let scheme = match scheme.as_deref() {
            Some(scheme @ ("https" | "http")) => scheme,
            _ => return Err(invalid("the scheme must be https (or http for loopback)")),
        };
        let after_scheme = url.split_once("://").map_or("", |(_, rest)| rest);
        if after_scheme
            .split(['/', '?', '#'])
            .next()
            .unwrap_or("")
            .is_empty()
        {
            return Err(invalid("it has no host"));
        }
        let uri: http::Uri = self
            .base_url()
            .parse()
            .map_err(|_| invalid("not a valid URL"))?;
        let host = uri.host().ok_or_else(|| invalid("it has no host"))?;
        if scheme == "http" && !is_loopback(host) {
            return Err(invalid(
                "plain http is only allowed for loopback hosts; use https",
            ));
        }
        if uri.query().is_some() || !matches!(uri.path(), "" | "/") {
            return Err(invalid("give the base URL only, without a path or query"));
        }
        Ok(())
    }
}

/// `POCKYT_ENV`: unset or `sandbox`, `production`, or a base URL that passes the client's checks.
fn environment_from(value: Option<&str>) -> Result<Environment, String> {
    let value = value.map(str::trim).unwrap_or_default();
    let environment = match value.to_ascii_lowercase().as_str() {
        "" | "sandbox" => return Ok(Environment::Sandbox),
        "production" => return Ok(Environment::Production),
        lower if lower.starts_with("http://") || lower.starts_with("https://") => {
            Environment::Custom(value.to_owned())
        }
        _ => {
            return Err(format!(
                "must be `sandbox` (the default), `production` or a base URL; got `{value}`"
            ));
        }
    };
    match environment.validate() {
        Ok(()) => Ok(environment),
        Err(ConfigError::BaseUrl { reason, .. }) => Err(format!(
            "is the base URL `{value}`, which cannot be used: {reason}"
        )),
        Err(other) => Err(other.to_string()),
    }
}

fn is_loopback(host: &str) -> bool {
    let host = host.trim_start_matches('[').trim_end_matches(']');
    host == "localhost"
        || host
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

/// Timeouts the client applies to every call, whatever the transport.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Timeouts {
    /// Time allowed to open a connection (applied by the built-in transport). Default 10 s.
    pub connect: Duration,
    /// Time allowed for one attempt, from sending to the last byte of the response. Default 30 s.
    pub attempt: Duration,
    /// Time allowed for the whole call, retries and back-off included. Default 60 s.
    pub overall: Duration,
}

impl Default for Timeouts {
    fn default() -> Self {
        Self {
            connect: Duration::from_secs(10),
            attempt: Duration::from_secs(30),
            overall: Duration::from_secs(60),
        }
    }
}

/// A configuration problem found before any request was made.
// Not `PartialEq`: the transport's and the runtime's causes cannot be compared; match on variants.
#[derive(Debug, Clone, thiserror::Error)]
#[non_exhaustive]
pub enum ConfigError {
    /// A required setting is empty.
    #[error("{name} is empty; set it to the value from your Pockyt merchant dashboard")]
    #[non_exhaustive]
    Empty {
        /// The setting, e.g. `merchantNo`.
        name: &'static str,
    },
    /// The token has leading or trailing whitespace (often a copied newline).
    #[error(
        "the API token has leading or trailing whitespace; remove it (the token itself is not shown)"
    )]
    TokenWhitespace,
    /// Environment variables cannot be used: every problem, each by its variable's name.
    #[error("the environment cannot be used: {}", problems.iter().map(ToString::to_string).collect::<Vec<_>>().join("; "))]
    #[non_exhaustive]
    Env {
        /// What is wrong, variable by variable.
        problems: Vec<EnvProblem>,
    },
    /// The base URL cannot be used.
    #[error("base URL `{url}` cannot be used: {reason}")]
    #[non_exhaustive]
    BaseUrl {
        /// The URL.
        url: String,
        /// Why.
        reason: &'static str,
    },
    /// A timeout is zero, or the attempt timeout exceeds the overall one.
    #[error(
        "timeouts must be non-zero and attempt ≤ overall (got attempt {attempt:?}, overall {overall:?})"
    )]
    #[non_exhaustive]
    Timeouts {
        /// The attempt timeout.
        attempt: Duration,
        /// The overall timeout.
        overall: Duration,
    },
    /// The built-in transport could not be created: the `source()` says why (e.g. an
    /// `HTTPS_PROXY` that cannot be used).
    // Shared so that `ConfigError` stays `Clone`, as a configuration check's answer is.
    #[error("cannot create the HTTPS transport")]
    Transport(#[source] Arc<TransportError>),
    /// The `hyper` feature is off, so there is no built-in transport.
    #[error(
        "no transport: the `hyper` feature is off; pass a transport with ClientBuilder::transport"
    )]
    NoTransport,
    /// The blocking client's runtime could not be started: the `source()` is the I/O error.
    #[error("cannot start the blocking client's runtime")]
    Runtime(#[source] Arc<std::io::Error>),
}

/// One environment variable that cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{variable} {reason}")]
#[non_exhaustive]
pub struct EnvProblem {
    /// The variable, e.g. `POCKYT_MERCHANT_NO`.
    pub variable: &'static str,
    /// What is wrong with it, e.g. `is not set (or not UTF-8)`. Never the token's value.
    pub reason: String,
}

impl EnvProblem {
    fn new(variable: &'static str, reason: impl Into<String>) -> Self {
        Self {
            variable,
            reason: reason.into(),
        }
    }
}

/// Everything the client needs: the merchant's identity and key, the gateway, timeouts, retries.
///
/// One naming rule, here and in [`crate::CallOptions`]: a setter is `with_<setting>(value)`, takes
/// the configuration by value and returns it (so setters chain); a getter is the plain
/// `<setting>()` and borrows.
///
/// The token is turned into a [`SigningKey`] at once and not kept; `Debug` never shows the key.
///
/// ```
/// use std::time::Duration;
/// use pockyt::{Config, Environment};
///
/// let config = Config::new("200043", "300014", "5cbfb079f15b150122261c8537086d77a")?
///     .with_environment(Environment::Sandbox)
///     .with_attempt_timeout(Duration::from_secs(20));
/// assert_eq!(config.environment(), &Environment::Sandbox);
/// assert_eq!(config.timeouts().attempt, Duration::from_secs(20));
/// assert!(!format!("{config:?}").contains("5cbfb079"));
/// # Ok::<(), pockyt::ConfigError>(())
/// ```
#[derive(Clone)]
pub struct Config {
    pub(crate) environment: Environment,
    /// merchantNo, storeNo and the optional merGroupNo / storeAdminNo, as `pockyt-types` puts
    /// them in front of every request.
    pub(crate) identity: Identity,
    pub(crate) key: SigningKey,
    pub(crate) timeouts: Timeouts,
    pub(crate) retry: RetryPolicy,
    pub(crate) user_agent: String,
}

/// The `User-Agent` sent with every request.
pub const USER_AGENT: &str = concat!("pockyt-rs/", env!("CARGO_PKG_VERSION"));

impl Config {
    /// A configuration for the sandbox with default timeouts and retries.
    pub fn new(
        merchant_no: impl Into<String>,
        store_no: impl Into<String>,
        token: &str,
    ) -> Result<Self, ConfigError> {
        let merchant_no = non_empty("merchantNo", merchant_no.into())?;
        let store_no = non_empty("storeNo", store_no.into())?;
        if token.is_empty() {
            return Err(ConfigError::Empty { name: "token" });
        }
        if token.trim() != token {
            return Err(ConfigError::TokenWhitespace);
        }
        Ok(Self {
            environment: Environment::Sandbox,
            identity: Identity::new(merchant_no, store_no),
            key: SigningKey::from_token(token),
            timeouts: Timeouts::default(),
            retry: RetryPolicy::default(),
            user_agent: USER_AGENT.to_owned(),
        })
    }

    /// Reads `POCKYT_MERCHANT_NO`, `POCKYT_STORE_NO`, `POCKYT_TOKEN` and the optional `POCKYT_ENV`
    /// (`sandbox`, the default; `production`; or a base URL, checked here).
    ///
    /// Every problem is reported at once, by variable name ([`ConfigError::Env`]).
    pub fn from_env() -> Result<Self, ConfigError> {
        Self::from_lookup(|name| std::env::var(name).ok())
    }

    /// Like [`Config::from_env`], reading variables through `lookup` (for tests and other sources).
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Self, ConfigError> {
        let mut problems = Vec::new();
        let mut get = |variable: &'static str| {
            let value = lookup(variable);
            match value.as_deref().map(str::trim) {
                None => problems.push(EnvProblem::new(variable, "is not set (or not UTF-8)")),
                Some("") => problems.push(EnvProblem::new(
                    variable,
                    "is empty; set it to the value from your Pockyt merchant dashboard",
                )),
                Some(trimmed) if value.as_deref() != Some(trimmed) => problems.push(
                    EnvProblem::new(variable, "has leading or trailing whitespace; remove it"),
                ),
                Some(_) => {}
            }
            value
        };
        let merchant_no = get("POCKYT_MERCHANT_NO");
        let store_no = get("POCKYT_STORE_NO");
        let token = get("POCKYT_TOKEN");
        let environment = environment_from(lookup("POCKYT_ENV").as_deref())
            .map_err(|reason| problems.push(EnvProblem::new("POCKYT_ENV", reason)))
            .ok();
        match (merchant_no, store_no, token, environment) {
            (Some(merchant_no), Some(store_no), Some(token), Some(environment))
                if problems.is_empty() =>
            {
                Ok(Self::new(merchant_no, store_no, &token)?.with_environment(environment))
            }
            _ => Err(ConfigError::Env { problems }),
        }
    }

    /// Sets the gateway (default: the sandbox). A custom URL's scheme is taken in any case
    /// (`HTTPS://…`) and sent in lower case.
    pub fn with_environment(mut self, environment: Environment) -> Self {
        self.environment = match environment {
            Environment::Custom(url) => Environment::Custom(match url.split_once("://") {
                Some((scheme, rest)) => format!("{}://{rest}", scheme.to_ascii_lowercase()),
                None => url,
            }),
            other => other,
        };
        self
    }

    /// Sets a custom base URL, e.g. the local simulator's.
    pub fn with_base_url(self, url: impl Into<String>) -> Self {
        self.with_environment(Environment::Custom(url.into()))
    }

    /// Sets the partner (service-provider) number, sent as `merGroupNo` on every call.
    pub fn with_mer_group_no(mut self, mer_group_no: impl Into<String>) -> Self {
        self.identity = self.identity.mer_group_no(mer_group_no);
        self
    }

    /// Sets the cashier/clerk id, sent as `storeAdminNo` on calls that take it (unless the request
    /// sets its own).
    pub fn with_store_admin_no(mut self, store_admin_no: impl Into<String>) -> Self {
        self.identity = self.identity.store_admin_no(store_admin_no);
        self
    }

    /// Sets all timeouts at once.
    pub fn with_timeouts(mut self, timeouts: Timeouts) -> Self {
        self.timeouts = timeouts;
        self
    }

    /// Sets the connect timeout of the built-in transport.
    pub fn with_connect_timeout(mut self, timeout: Duration) -> Self {
        self.timeouts.connect = timeout;
        self
    }

    /// Sets the timeout of one attempt.
    pub fn with_attempt_timeout(mut self, timeout: Duration) -> Self {
        self.timeouts.attempt = timeout;
        self
    }

    /// Sets the timeout of a whole call, retries included.
    /// `Duration::MAX` (or any deadline too far away for the clock) means no deadline: each
    /// attempt still has its attempt timeout, and the retry policy still bounds the attempts.
    pub fn with_overall_timeout(mut self, timeout: Duration) -> Self {
        self.timeouts.overall = timeout;
        self
    }

    /// Sets the retry policy.
    pub fn with_retry(mut self, retry: RetryPolicy) -> Self {
        self.retry = retry;
        self
    }

    /// Appends `suffix` to the `User-Agent` (e.g. your application's name and version).
    pub fn with_user_agent_suffix(mut self, suffix: &str) -> Self {
        self.user_agent = format!("{USER_AGENT} {suffix}");
        self
    }

    /// The gateway.
    pub fn environment(&self) -> &Environment {
        &self.environment
    }

    /// The merchant number.
    pub fn merchant_no(&self) -> &str {
        self.identity.merchant_no()
    }

    /// The store number.
    pub fn store_no(&self) -> &str {
        self.identity.store_no()
    }

    /// The identity every request carries (what a custom stack builds with `pockyt-types`).
    pub fn identity(&self) -> &Identity {
        &self.identity
    }

    /// The signing key (md5 of the token). It prints as `<redacted>`.
    pub fn signing_key(&self) -> &SigningKey {
        &self.key
    }

    /// The timeouts.
    pub fn timeouts(&self) -> &Timeouts {
        &self.timeouts
    }

    /// The retry policy.
    pub fn retry(&self) -> &RetryPolicy {
        &self.retry
    }

    /// Checks the settings that can only be judged together.
    pub(crate) fn validate(&self) -> Result<(), ConfigError> {
        self.environment.validate()?;
        let Timeouts {
            connect,
            attempt,
            overall,
        } = self.timeouts;
        if connect.is_zero() || attempt.is_zero() || overall.is_zero() || attempt > overall {
            return Err(ConfigError::Timeouts { attempt, overall });
        }
        for (name, value) in [
            ("merGroupNo", self.identity.mer_group_no_value()),
            ("storeAdminNo", self.identity.store_admin_no_value()),
        ] {
            if value == Some("") {
                return Err(ConfigError::Empty { name });
            }
        }
        Ok(())
    }
}

fn non_empty(name: &'static str, value: String) -> Result<String, ConfigError> {
    if value.trim().is_empty() {
        Err(ConfigError::Empty { name })
    } else {
        Ok(value)
    }
}

impl fmt::Debug for Config {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Config")
            .field("environment", &self.environment)
            .field("identity", &self.identity)
            .field("key", &self.key)
            .field("timeouts", &self.timeouts)
            .field("retry", &self.retry)
            .field("user_agent", &self.user_agent)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TOKEN: &str = "5cbfb079f15b150122261c8537086d77a";

    #[test]
    fn rejects_empty_and_whitespace() {
        assert!(matches!(
            Config::new("", "1", TOKEN).unwrap_err(),
            ConfigError::Empty { name: "merchantNo" }
        ));
        assert!(matches!(
            Config::new("1", " ", TOKEN).unwrap_err(),
            ConfigError::Empty { name: "storeNo" }
        ));
        assert!(matches!(
            Config::new("1", "2", "").unwrap_err(),
            ConfigError::Empty { name: "token" }
        ));
        let err = Config::new("1", "2", "abc\n").unwrap_err();
        assert!(matches!(err, ConfigError::TokenWhitespace), "{err:?}");
        assert!(!err.to_string().contains("abc"));
    }

    #[test]
    fn plain_http_only_on_loopback() {
        let ok = |url: &str| {
            Config::new("1", "2", TOKEN)
                .unwrap()
                .with_base_url(url)
                .validate()
        };
        assert!(ok("http://127.0.0.1:8080").is_ok());
        assert!(ok("http://localhost:1").is_ok());
        assert!(ok("http://[::1]:1/").is_ok());
        assert!(ok("https://gateway.example.com").is_ok());
        assert!(ok("http://gateway.example.com").is_err());
        assert!(ok("https://gateway.example.com/online").is_err());
        assert!(ok("ftp://x").is_err());
        assert!(ok("not a url").is_err());
        assert!(ok("HTTPS://gateway.example.com").is_ok());
        assert!(ok("HTTP://127.0.0.1:1").is_ok());
        let no_host = ok("https://").unwrap_err().to_string();
        assert!(
            no_host.contains("`https://`") && no_host.contains("no host"),
            "{no_host}"
        );
    }

    #[test]
    fn from_lookup_reads_the_variables() {
        let vars = |name: &str| match name {
            "POCKYT_MERCHANT_NO" => Some("200043".to_owned()),
            "POCKYT_STORE_NO" => Some("300014".to_owned()),
            "POCKYT_TOKEN" => Some(TOKEN.to_owned()),
            "POCKYT_ENV" => Some("production".to_owned()),
            _ => None,
        };
        let config = Config::from_lookup(vars).unwrap();
        assert_eq!(config.environment(), &Environment::Production);
        // Every missing variable is reported, by name, at once.
        let missing = Config::from_lookup(|_| None).unwrap_err().to_string();
        for name in ["POCKYT_MERCHANT_NO", "POCKYT_STORE_NO", "POCKYT_TOKEN"] {
            assert!(missing.contains(&format!("{name} is not set")), "{missing}");
        }
        let with = |name: &'static str, value: &'static str| {
            move |n: &str| {
                if n == name {
                    Some(value.to_owned())
                } else {
                    vars(n)
                }
            }
        };
        let bad = Config::from_lookup(with("POCKYT_ENV", "staging")).unwrap_err();
        assert!(bad.to_string().contains("POCKYT_ENV must be"), "{bad}");
    }

    #[test]
    fn from_lookup_names_the_variable_and_checks_the_url_early() {
        let vars = |name: &str| match name {
            "POCKYT_MERCHANT_NO" => Some("  ".to_owned()),
            "POCKYT_STORE_NO" => Some(String::new()),
            "POCKYT_TOKEN" => Some(format!("{TOKEN}\n")),
            "POCKYT_ENV" => Some("https://".to_owned()),
            _ => None,
        };
        let err = Config::from_lookup(vars).unwrap_err();
        let ConfigError::Env { problems } = &err else {
            panic!("expected every problem, got {err:?}");
        };
        let named: Vec<&str> = problems.iter().map(|p| p.variable).collect();
        assert_eq!(
            named,
            [
                "POCKYT_MERCHANT_NO",
                "POCKYT_STORE_NO",
                "POCKYT_TOKEN",
                "POCKYT_ENV"
            ]
        );
        let text = err.to_string();
        assert!(text.contains("POCKYT_MERCHANT_NO is empty"), "{text}");
        assert!(
            text.contains("POCKYT_TOKEN has leading or trailing whitespace"),
            "{text}"
        );
        assert!(
            text.contains("`https://`") && text.contains("it has no host"),
            "{text}"
        );
        assert!(!text.contains(TOKEN));
        assert!(
            !text.contains("merchantNo"),
            "wire names are not what the user set: {text}"
        );
        // A plain-http URL to a public host is refused here, not later in `Client::new`.
        let public = |name: &str| match name {
            "POCKYT_ENV" => Some("http://gateway.example.com".to_owned()),
            "POCKYT_TOKEN" => Some(TOKEN.to_owned()),
            _ => Some("1".to_owned()),
        };
        let err = Config::from_lookup(public).unwrap_err().to_string();
        assert!(
            err.contains("POCKYT_ENV") && err.contains("loopback"),
            "{err}"
        );
        // Schemes are case-insensitive.
        let upper = |name: &str| match name {
            "POCKYT_ENV" => Some("HTTPS://gateway.example.com".to_owned()),
            "POCKYT_TOKEN" => Some(TOKEN.to_owned()),
            _ => Some("1".to_owned()),
        };
        assert!(Config::from_lookup(upper).is_ok());
    }

    #[test]
    fn debug_never_shows_token_or_key() {
        let config = Config::new("200043", "300014", TOKEN).unwrap();
        let shown = format!("{config:?} {config:#?}");
        assert!(!shown.contains(TOKEN));
        assert!(!shown.contains("186abea4b8610d7ff03768255588597a"));
        assert!(shown.contains("<redacted>"));
    }

    #[test]
    fn timeouts_must_be_coherent() {
        let config = Config::new("1", "2", TOKEN).unwrap();
        assert!(
            config
                .clone()
                .with_attempt_timeout(Duration::ZERO)
                .validate()
                .is_err()
        );
        assert!(
            config
                .clone()
                .with_attempt_timeout(Duration::from_secs(90))
                .validate()
                .is_err()
        );
        assert!(config.validate().is_ok());
    }
}
