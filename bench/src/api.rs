//! The few API calls the tool makes outside the measured load: logging in,
//! creating the base objects as the admin, and the checks of a scenario.
//! Every call expects success and turns anything else into an error that
//! names the call and the problem document.

use anyhow::{Context, bail};
use reqwest::StatusCode;
use serde_json::{Value, json};
use uuid::Uuid;

#[derive(Clone)]
pub struct Api {
    pub base: String,
    http: reqwest::Client,
}

/// A plain HTTP client for loopback: no proxy, no overall timeout (event
/// streams stay open), a connect timeout so a dead server fails fast.
pub fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .no_proxy()
        .connect_timeout(std::time::Duration::from_secs(10))
        .pool_max_idle_per_host(1)
        .build()
        .expect("a reqwest client without TLS builds")
}

impl Api {
    pub fn new(base: &str) -> Api {
        Api {
            base: base.to_owned(),
            http: client(),
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    pub async fn login(&self, email: &str, password: &str) -> anyhow::Result<String> {
        let body = json!({ "email": email, "password": password });
        let answer = self
            .send(
                None,
                reqwest::Method::POST,
                "/api/v1/auth/login",
                Some(body),
            )
            .await?;
        answer["token"]
            .as_str()
            .map(str::to_owned)
            .context("login answered no token")
    }

    /// POST that creates something; answers its id.
    pub async fn create(&self, token: &str, path: &str, body: Value) -> anyhow::Result<Uuid> {
        let answer = self
            .send(Some(token), reqwest::Method::POST, path, Some(body))
            .await?;
        answer["id"]
            .as_str()
            .and_then(|s| s.parse().ok())
            .with_context(|| format!("POST {path} answered no id"))
    }

    pub async fn get(&self, token: &str, path: &str) -> anyhow::Result<Value> {
        self.send(Some(token), reqwest::Method::GET, path, None)
            .await
    }

    /// The status of a GET, whatever it is (for checks that expect 404).
    pub async fn status_of(&self, token: &str, path: &str) -> anyhow::Result<StatusCode> {
        let response = self
            .http
            .get(self.url(path))
            .bearer_auth(token)
            .send()
            .await?;
        Ok(response.status())
    }

    pub async fn delete(&self, token: &str, path: &str) -> anyhow::Result<()> {
        self.send(Some(token), reqwest::Method::DELETE, path, None)
            .await
            .map(drop)
    }

    async fn send(
        &self,
        token: Option<&str>,
        method: reqwest::Method,
        path: &str,
        body: Option<Value>,
    ) -> anyhow::Result<Value> {
        let mut request = self.http.request(method.clone(), self.url(path));
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        if let Some(body) = body {
            request = request.json(&body);
        }
        let response = request
            .send()
            .await
            .with_context(|| format!("{method} {path}"))?;
        let status = response.status();
        let text = response.text().await.unwrap_or_default();
        if !status.is_success() {
            bail!("{method} {path} answered {status}: {text}");
        }
        if text.is_empty() {
            return Ok(Value::Null);
        }
        serde_json::from_str(&text).with_context(|| format!("{method} {path} answered no JSON"))
    }
}
