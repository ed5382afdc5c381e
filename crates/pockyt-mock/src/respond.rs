//! Response helpers: the simulator's body type (whole, truncated or trickled, for fault
//! injection) and JSON, HTML and redirect answers.

use std::future::Future as _;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use bytes::Bytes;
use http::{Response, StatusCode, header};
use http_body_util::Full;
use hyper::body::{Body, Frame};

/// A response body: whole, or one of the faulty kinds.
pub(crate) enum MockBody {
    Full(Full<Bytes>),
    /// Sends the bytes, then fails, so the connection closes mid-body.
    Truncated(Option<Bytes>),
    /// Sends one byte per tick.
    Slow {
        rest: Bytes,
        tick: Duration,
        sleep: Option<Pin<Box<tokio::time::Sleep>>>,
    },
}

impl Body for MockBody {
    type Data = Bytes;
    type Error = std::io::Error;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Self::Error>>> {
        match self.get_mut() {
            MockBody::Full(full) => Pin::new(full)
                .poll_frame(cx)
                .map_err(|never| match never {}),
            MockBody::Truncated(data) => Poll::Ready(Some(match data.take() {
                Some(bytes) => Ok(Frame::data(bytes)),
                None => Err(std::io::Error::new(
                    std::io::ErrorKind::ConnectionAborted,
                    "truncated by fault injection",
                )),
            })),
            MockBody::Slow { rest, tick, sleep } => {
                if rest.is_empty() {
                    return Poll::Ready(None);
                }
                let timer = sleep.get_or_insert_with(|| Box::pin(tokio::time::sleep(*tick)));
                match timer.as_mut().poll(cx) {
                    Poll::Pending => Poll::Pending,
                    Poll::Ready(()) => {
                        *sleep = None;
                        Poll::Ready(Some(Ok(Frame::data(rest.split_to(1)))))
                    }
                }
            }
        }
    }
}

fn full(
    status: StatusCode,
    content_type: &'static str,
    body: impl Into<Bytes>,
) -> Response<MockBody> {
    let mut response = Response::new(MockBody::Full(Full::new(body.into())));
    *response.status_mut() = status;
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        header::HeaderValue::from_static(content_type),
    );
    response
}

pub(crate) fn json(status: StatusCode, value: &serde_json::Value) -> Response<MockBody> {
    full(
        status,
        "application/json; charset=utf-8",
        serde_json::to_vec(value).unwrap_or_default(),
    )
}

pub(crate) fn html(status: StatusCode, page: String) -> Response<MockBody> {
    full(status, "text/html; charset=utf-8", page)
}

pub(crate) fn redirect(location: &str) -> Response<MockBody> {
    let mut response = full(
        StatusCode::SEE_OTHER,
        "text/plain; charset=utf-8",
        format!("see {location}"),
    );
    if let Ok(value) = header::HeaderValue::from_str(location) {
        response.headers_mut().insert(header::LOCATION, value);
    }
    response
}

/// The HTML error page a proxy in front of the gateway answers with, titled by its status.
pub(crate) fn error_page(status: StatusCode) -> String {
    let reason = status.canonical_reason().unwrap_or("Error");
    format!(
        "<html><head><title>{} {reason}</title></head><body><h1>{reason}</h1></body></html>",
        status.as_u16()
    )
}

/// Text made safe inside HTML (element content and quoted attributes): every value shown in a
/// page came from a request.
pub(crate) fn escape(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '&' => "&amp;".to_owned(),
            '<' => "&lt;".to_owned(),
            '>' => "&gt;".to_owned(),
            '"' => "&quot;".to_owned(),
            '\'' => "&#39;".to_owned(),
            other => other.to_string(),
        })
        .collect()
}
