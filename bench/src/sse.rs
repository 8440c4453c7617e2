//! A client of the event stream (`GET /api/v1/events`): opens it, parses
//! Server-Sent Events out of the byte stream, and reports each event with
//! the moment it arrived.

use std::time::Instant;

use anyhow::bail;
use futures_util::StreamExt;
use tokio::sync::mpsc;

/// One event as received.
#[derive(Debug, Clone)]
pub struct Received {
    /// Which stream (the index the opener gave it).
    pub stream: usize,
    pub kind: String,
    pub data: String,
    pub at: Instant,
}

/// Splits a byte stream into events. Comments (heartbeats) and fields
/// other than `event:` and `data:` are skipped.
#[derive(Default)]
struct Parser {
    buffer: String,
}

impl Parser {
    fn push(&mut self, chunk: &[u8]) -> Vec<(String, String)> {
        self.buffer.push_str(&String::from_utf8_lossy(chunk));
        let mut events = Vec::new();
        while let Some(end) = self.buffer.find("\n\n") {
            let block: String = self.buffer.drain(..end + 2).collect();
            let mut kind = String::from("message");
            let mut data = String::new();
            for line in block.lines() {
                if let Some(v) = line.strip_prefix("event:") {
                    kind = v.trim().to_owned();
                } else if let Some(v) = line.strip_prefix("data:") {
                    data.push_str(v.trim_start());
                }
            }
            if !data.is_empty() || kind != "message" {
                events.push((kind, data));
            }
        }
        events
    }
}

/// Opens a stream as the owner of `token` and, once the server has
/// answered 200, spawns a task that forwards every event to `events` until
/// the stream ends or the task is aborted.
pub async fn open(
    client: &reqwest::Client,
    base: &str,
    token: &str,
    stream: usize,
    events: mpsc::UnboundedSender<Received>,
) -> anyhow::Result<tokio::task::JoinHandle<()>> {
    let response = client
        .get(format!("{base}/api/v1/events"))
        .bearer_auth(token)
        .send()
        .await?;
    if !response.status().is_success() {
        let status = response.status();
        let body = response.text().await.unwrap_or_default();
        bail!("GET /api/v1/events answered {status}: {body}");
    }
    Ok(tokio::spawn(async move {
        let mut bytes = response.bytes_stream();
        let mut parser = Parser::default();
        while let Some(Ok(chunk)) = bytes.next().await {
            let at = Instant::now();
            for (kind, data) in parser.push(&chunk) {
                let event = Received {
                    stream,
                    kind,
                    data,
                    at,
                };
                if events.send(event).is_err() {
                    return;
                }
            }
        }
    }))
}

#[cfg(test)]
mod tests {
    use super::Parser;

    #[test]
    fn events_split_across_chunks_are_joined_and_heartbeats_skipped() {
        let mut parser = Parser::default();

        let first = parser.push(b": heartbeat\n\nevent: message_created\ndata: {\"conv");
        let second = parser.push(b"ersation\":\"c\"}\nid: 7\n\n");

        assert!(first.is_empty());
        assert_eq!(
            second,
            vec![("message_created".into(), "{\"conversation\":\"c\"}".into())]
        );
    }
}
