//! A fast fake upstream for `scripts/bench-proxy`: answers `POST …/chat/completions` with a
//! fixed completion (JSON, or an SSE stream when the body asks for `"stream": true`), on
//! the loopback port given as the first argument. Not part of byok.

use std::convert::Infallible;
use std::time::Duration;

use bytes::Bytes;
use http_body_util::BodyExt;
use hyper::body::{Frame, Incoming};
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Request, Response};
use hyper_util::rt::TokioIo;

const JSON: &str = r#"{"id":"chatcmpl-bench","object":"chat.completion","created":1,"model":"gpt-bench","choices":[{"index":0,"message":{"role":"assistant","content":"Hello! How can I help you today?"},"finish_reason":"stop","logprobs":null}],"usage":{"prompt_tokens":9,"completion_tokens":9,"total_tokens":18}}"#;

mod tokio_stream_shim {
    use super::{Bytes, Frame, Infallible};
    /// An mpsc receiver as a stream of frames.
    pub struct Receiver(pub tokio::sync::mpsc::Receiver<Bytes>);
    impl http_body::Body for Receiver {
        type Data = Bytes;
        type Error = Infallible;
        fn poll_frame(
            mut self: std::pin::Pin<&mut Self>,
            cx: &mut std::task::Context<'_>,
        ) -> std::task::Poll<Option<Result<Frame<Bytes>, Infallible>>> {
            self.0.poll_recv(cx).map(|o| o.map(|b| Ok(Frame::data(b))))
        }
    }
}

enum Reply {
    Full(Option<Bytes>),
    Stream(tokio_stream_shim::Receiver),
}

impl http_body::Body for Reply {
    type Data = Bytes;
    type Error = Infallible;
    fn poll_frame(
        self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Result<Frame<Bytes>, Infallible>>> {
        match self.get_mut() {
            Reply::Full(b) => std::task::Poll::Ready(b.take().map(|b| Ok(Frame::data(b)))),
            Reply::Stream(r) => std::pin::Pin::new(r).poll_frame(cx),
        }
    }
}

async fn handle(req: Request<Incoming>) -> Result<Response<Reply>, Infallible> {
    let body = req
        .into_body()
        .collect()
        .await
        .map(|c| c.to_bytes())
        .unwrap_or_default();
    let stream = memchr::memmem::find(&body, b"\"stream\":true").is_some()
        || memchr::memmem::find(&body, b"\"stream\": true").is_some();
    if !stream {
        return Ok(Response::builder()
            .header("content-type", "application/json")
            .body(Reply::Full(Some(Bytes::from_static(JSON.as_bytes()))))
            .unwrap());
    }
    let (tx, rx) = tokio::sync::mpsc::channel(8);
    tokio::spawn(async move {
        for word in ["Hello", "!", " How", " can", " I", " help", "?"] {
            let chunk = format!(
                "data: {{\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"gpt-bench\",\"choices\":[{{\"index\":0,\"delta\":{{\"content\":\"{word}\"}},\"finish_reason\":null}}]}}\n\n"
            );
            if tx.send(Bytes::from(chunk)).await.is_err() {
                return;
            }
            tokio::time::sleep(Duration::from_millis(2)).await;
        }
        let _ = tx.send(Bytes::from_static(b"data: [DONE]\n\n")).await;
    });
    Ok(Response::builder()
        .header("content-type", "text/event-stream")
        .body(Reply::Stream(tokio_stream_shim::Receiver(rx)))
        .unwrap())
}

fn main() {
    let port: u16 = std::env::args()
        .nth(1)
        .and_then(|p| p.parse().ok())
        .unwrap_or(18080);
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async move {
        let listener = tokio::net::TcpListener::bind(("127.0.0.1", port))
            .await
            .unwrap();
        loop {
            let Ok((stream, _)) = listener.accept().await else {
                continue;
            };
            let _ = stream.set_nodelay(true);
            tokio::spawn(async move {
                let _ = http1::Builder::new()
                    .serve_connection(TokioIo::new(stream), service_fn(handle))
                    .await;
            });
        }
    });
}
