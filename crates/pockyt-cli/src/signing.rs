//! `pockyt sign` and `pockyt verify-ipn`.

use clap::Args as ClapArgs;
use pockyt::SigningKey;
use pockyt::ipn::{self, IpnError};

use crate::Outcome;
use crate::input::{StringParams, stdin_bytes};

/// Arguments of `pockyt sign`.
#[derive(Debug, ClapArgs)]
pub(crate) struct SignArgs {
    /// The merchant's API token.
    #[arg(long, env = "POCKYT_TOKEN", hide_env_values = true)]
    token: String,
}

/// Arguments of `pockyt verify-ipn`.
#[derive(Debug, ClapArgs)]
pub(crate) struct VerifyArgs {
    /// The merchant's API token.
    #[arg(long, env = "POCKYT_TOKEN", hide_env_values = true)]
    token: String,
}

fn key(token: &str) -> Result<SigningKey, String> {
    if token.is_empty() {
        return Err("the token is empty".into());
    }
    Ok(SigningKey::from_token(token))
}

pub(crate) fn sign(args: &SignArgs) -> Outcome {
    let result = key(&args.token).and_then(|key| {
        let StringParams(params) = StringParams::parse(&stdin_bytes()?)?;
        pockyt::sign::sign(params.iter().map(|(n, v)| (n.as_str(), v.as_str())), &key)
            .map_err(|e| crate::chain(&e))
    });
    match result {
        Ok(signature) => {
            say!("{signature}");
            Outcome::Ok
        }
        Err(reason) => Outcome::BadInput(reason),
    }
}

pub(crate) fn verify(args: &VerifyArgs) -> Outcome {
    let key = match key(&args.token) {
        Ok(key) => key,
        Err(reason) => return Outcome::BadInput(reason),
    };
    let body = match stdin_bytes() {
        Ok(body) => body,
        Err(reason) => return Outcome::BadInput(reason),
    };
    // Trailing line breaks from `echo`, a file or a copied request are not part of the form (a form
    // value's own line breaks arrive encoded as %0A / %0D).
    let end = body
        .iter()
        .rposition(|b| !matches!(b, b'\n' | b'\r'))
        .map_or(0, |last| last + 1);
    let trimmed = &body[..end];
    if trimmed.is_empty() {
        return Outcome::BadInput("stdin is empty: expected a form body".into());
    }
    match ipn::verify_form(trimmed, &key) {
        Ok(_) => {
            say!("valid");
            Outcome::Ok
        }
        Err(error @ (IpnError::Malformed(_) | IpnError::TooLarge { .. })) => {
            Outcome::BadInput(crate::chain(&error))
        }
        Err(error) => Outcome::Failed(format!("invalid: {}", crate::chain(&error))),
    }
}
