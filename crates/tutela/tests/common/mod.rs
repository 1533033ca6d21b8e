//! Starting the real `tutela serve` binary on a free port with a fresh data folder, and talking
//! to it over HTTP as the platform, as reviewers and as an admin.

#![allow(dead_code)]

use reqwest::blocking::{Client, Response};
use serde_json::{Value, json};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

pub fn bin() -> &'static str {
    env!("CARGO_BIN_EXE_tutela")
}

pub struct Server {
    pub child: Child,
    pub base: String,
    pub data: PathBuf,
    /// The first admin's password, as printed at first start.
    pub admin_password: Option<String>,
}

impl Server {
    /// Starts `tutela serve` on 127.0.0.1:0 and waits until it is ready.
    pub fn start(data: &Path, extra: &[&str]) -> Server {
        let mut child = Command::new(bin())
            .args(["serve", "--data"])
            .arg(data)
            .args(["--listen", "127.0.0.1:0"])
            .args(extra)
            .env("TUTELA_LOG", "warn")
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start tutela serve");
        let stderr = child.stderr.take().unwrap();
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                eprintln!("[serve] {line}");
                let _ = tx.send(line);
            }
        });
        let mut base = None;
        let mut admin_password = None;
        let deadline = Instant::now() + Duration::from_secs(60);
        while base.is_none() {
            let line = rx
                .recv_timeout(deadline.saturating_duration_since(Instant::now()))
                .expect("tutela serve did not start in time");
            if let Some(rest) = line.split("Password: ").nth(1) {
                admin_password = Some(rest.trim().to_string());
            }
            if let Some(rest) = line.split("listening on ").nth(1) {
                base = Some(rest.split_whitespace().next().unwrap().to_string());
            }
        }
        let server = Server {
            child,
            base: base.unwrap(),
            data: data.to_path_buf(),
            admin_password,
        };
        let client = Client::new();
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            if let Ok(r) = client.get(server.url("/readyz")).send()
                && r.status() == 200
            {
                break;
            }
            assert!(Instant::now() < deadline, "not ready in time");
            std::thread::sleep(Duration::from_millis(100));
        }
        server
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// SIGTERM, then wait: a graceful stop (final checkpoint, database closed).
    pub fn stop(mut self) {
        let pid = self.child.id().to_string();
        let _ = Command::new("kill").args(["-TERM", &pid]).status();
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            if let Ok(Some(status)) = self.child.try_wait() {
                assert!(status.success(), "tutela serve exited with {status}");
                return;
            }
            assert!(Instant::now() < deadline, "tutela serve did not stop");
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A console session: cookie plus CSRF token.
pub struct Session {
    pub client: Client,
    pub cookie: String,
    pub csrf: String,
    pub base: String,
}

impl Session {
    pub fn login(server: &Server, user: &str, password: &str) -> Session {
        let client = Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap();
        let r = client
            .post(server.url("/console/login"))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(format!("username={user}&password={password}"))
            .send()
            .unwrap();
        assert_eq!(r.status(), 303, "login of {user} failed");
        let cookie = r
            .headers()
            .get("set-cookie")
            .unwrap()
            .to_str()
            .unwrap()
            .split(';')
            .next()
            .unwrap()
            .to_string();
        let page = client
            .get(server.url("/console/search"))
            .header("cookie", &cookie)
            .send()
            .unwrap()
            .text()
            .unwrap();
        let csrf = page
            .split("name=\"csrf\" value=\"")
            .nth(1)
            .and_then(|s| s.split('"').next())
            .expect("a CSRF token on the page")
            .to_string();
        Session {
            client,
            cookie,
            csrf,
            base: server.base.clone(),
        }
    }

    pub fn get(&self, path: &str) -> Response {
        self.client
            .get(format!("{}{path}", self.base))
            .header("cookie", &self.cookie)
            .send()
            .unwrap()
    }

    pub fn post(&self, path: &str, body: Value) -> Response {
        self.client
            .post(format!("{}{path}", self.base))
            .header("cookie", &self.cookie)
            .header("x-csrf-token", &self.csrf)
            .json(&body)
            .send()
            .unwrap()
    }

    pub fn create_user(&self, name: &str, role: &str) -> String {
        let password = format!("{name}-password-123");
        let r = self.post(
            "/v1/users",
            json!({"username": name, "password": password, "role": role}),
        );
        assert_eq!(r.status(), 201, "{}", r.text().unwrap());
        password
    }

    pub fn create_key(&self, name: &str, scopes: &[&str]) -> String {
        let r = self.post("/v1/api-keys", json!({"name": name, "scopes": scopes}));
        assert_eq!(r.status(), 201);
        r.json::<Value>().unwrap()["secret"]
            .as_str()
            .unwrap()
            .to_string()
    }
}

/// One received request: lower-cased headers and the body.
pub type Received = (Vec<(String, String)>, String);

/// A webhook receiver on a free port that records every request (headers and body).
#[derive(Clone)]
pub struct Receiver {
    pub url: String,
    pub requests: Arc<Mutex<Vec<Received>>>,
}

impl Receiver {
    pub fn start() -> Receiver {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}/hook", listener.local_addr().unwrap());
        let requests = Arc::new(Mutex::new(Vec::new()));
        let store = requests.clone();
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(mut stream) = stream else { continue };
                let mut reader = BufReader::new(stream.try_clone().unwrap());
                let mut headers = Vec::new();
                let mut line = String::new();
                let _ = reader.read_line(&mut line);
                loop {
                    line.clear();
                    if reader.read_line(&mut line).unwrap_or(0) == 0 || line == "\r\n" {
                        break;
                    }
                    if let Some((k, v)) = line.trim_end().split_once(':') {
                        headers.push((k.trim().to_ascii_lowercase(), v.trim().to_string()));
                    }
                }
                let len: usize = headers
                    .iter()
                    .find(|(k, _)| k == "content-length")
                    .and_then(|(_, v)| v.parse().ok())
                    .unwrap_or(0);
                let mut body = vec![0; len];
                let _ = reader.read_exact(&mut body);
                store
                    .lock()
                    .unwrap()
                    .push((headers, String::from_utf8_lossy(&body).into_owned()));
                let _ = stream.write_all(
                    b"HTTP/1.1 200 OK\r\ncontent-length: 0\r\nconnection: close\r\n\r\n",
                );
            }
        });
        Receiver { url, requests }
    }

    /// Waits for a request whose JSON body has this `event`.
    pub fn wait_for(&self, event: &str) -> Received {
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            if let Some(r) = self.requests.lock().unwrap().iter().find(|(_, body)| {
                serde_json::from_str::<Value>(body).is_ok_and(|v| v["event"] == event)
            }) {
                return r.clone();
            }
            assert!(Instant::now() < deadline, "no `{event}` webhook arrived");
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}

/// A synthetic PNG (no real material): a pattern that hashes with good quality.
pub fn synthetic_png(seed: u32) -> Vec<u8> {
    // Blocks of pseudo-random grey levels: different seeds give unrelated hashes.
    let mut state = u64::from(seed).wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    let mut blocks = [[0u8; 3]; 16 * 12];
    for b in blocks.iter_mut() {
        for c in b.iter_mut() {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            *c = (state >> 56) as u8;
        }
    }
    let img = image::RgbImage::from_fn(320, 240, |x, y| {
        image::Rgb(blocks[(y / 20 * 16 + x / 20) as usize])
    });
    let mut out = std::io::Cursor::new(Vec::new());
    img.write_to(&mut out, image::ImageFormat::Png).unwrap();
    out.into_inner()
}

/// Runs the CLI with `--data` and checks it succeeded.
pub fn cli(data: &Path, args: &[&str]) -> String {
    let mut cmd = Command::new(bin());
    cmd.args(args);
    if args[0] != "hash" {
        cmd.arg("--data").arg(data);
    }
    let out = cmd.output().unwrap();
    assert!(
        out.status.success(),
        "tutela {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Writes a config (before first start) with a webhook receiver and fast checkpoints.
pub fn write_config(data: &Path, webhook_url: &str) {
    std::fs::create_dir_all(data).unwrap();
    std::fs::write(
        data.join("tutela.toml"),
        format!(
            "[webhook]\nurl = \"{webhook_url}\"\nsecret = \"test-webhook-secret\"\n\n[audit]\ncheckpoint_seconds = 1\n"
        ),
    )
    .unwrap();
}
