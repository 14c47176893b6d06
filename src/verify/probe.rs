//! `--probe PORT/PATH`: one HTTP GET against a container on the host network.
//!
//! HTTP/1.0 with `Connection: close` keeps the client to a few lines: the server closes the
//! connection and the whole response is what was read. Only the status line and the body
//! are compared; headers carry dates and server names that differ between runs.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    pub port: u16,
    pub path: String,
}

impl Target {
    /// `8080`, `8080/`, `8080/healthz?x=1`.
    pub fn parse(s: &str) -> Result<Target, String> {
        let (port, path) = match s.find('/') {
            Some(i) => (&s[..i], &s[i..]),
            None => (s, "/"),
        };
        let port = port.parse::<u16>().map_err(|_| format!("--probe `{s}`: expected PORT/PATH, e.g. 8080/healthz"))?;
        Ok(Target { port, path: path.to_string() })
    }
}

/// Status line and body of the response, or why there is none. Retries until `limit`
/// passes, since the server needs time to start.
pub fn get(t: &Target, limit: Duration) -> Result<(String, String), String> {
    let start = Instant::now();
    let mut last = String::from("no answer");
    while start.elapsed() < limit {
        match once(t) {
            Ok(r) => return Ok(r),
            Err(e) => last = e,
        }
        std::thread::sleep(Duration::from_millis(200));
    }
    Err(format!("no HTTP response on port {} within {} s ({last})", t.port, limit.as_secs()))
}

fn once(t: &Target) -> Result<(String, String), String> {
    let addr = std::net::SocketAddr::from(([127, 0, 0, 1], t.port));
    let mut s = TcpStream::connect_timeout(&addr, Duration::from_secs(2)).map_err(|e| e.to_string())?;
    s.set_read_timeout(Some(Duration::from_secs(10))).ok();
    // One write: `write!` on the stream would send each formatted piece as its own segment.
    let request = format!("GET {} HTTP/1.0\r\nHost: localhost\r\nConnection: close\r\n\r\n", t.path);
    s.write_all(request.as_bytes()).map_err(|e| e.to_string())?;
    let mut buf = Vec::new();
    s.read_to_end(&mut buf).map_err(|e| e.to_string())?;
    let text = String::from_utf8_lossy(&buf);
    let (head, body) = text.split_once("\r\n\r\n").ok_or("incomplete HTTP response")?;
    let status = head.lines().next().unwrap_or_default().to_string();
    if !status.starts_with("HTTP/") {
        return Err(format!("not an HTTP response: {status}"));
    }
    Ok((status, body.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::net::TcpListener;

    #[test]
    fn parses_port_and_path() {
        assert_eq!(Target::parse("8080/healthz?x=1").unwrap(), Target { port: 8080, path: "/healthz?x=1".into() });
        assert_eq!(Target::parse("80").unwrap(), Target { port: 80, path: "/".into() });
        assert!(Target::parse("http/x").is_err());
    }

    #[test]
    fn reads_status_and_body_from_a_local_server() {
        let l = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = l.local_addr().unwrap().port();
        let server = std::thread::spawn(move || {
            // Read the whole request head, however the client's bytes arrive.
            let (mut c, _) = l.accept().unwrap();
            let mut req = Vec::new();
            let mut chunk = [0u8; 1024];
            while !req.windows(4).any(|w| w == b"\r\n\r\n") {
                let n = c.read(&mut chunk).unwrap();
                assert!(n > 0, "the client closed before sending a request: {:?}", String::from_utf8_lossy(&req));
                req.extend_from_slice(&chunk[..n]);
            }
            let line = String::from_utf8_lossy(&req).lines().next().unwrap_or_default().to_string();
            write!(c, "HTTP/1.0 200 OK\r\nDate: now\r\n\r\nhello {line}").unwrap();
        });
        let r = get(&Target { port, path: "/x".into() }, Duration::from_secs(5)).unwrap();
        server.join().unwrap();
        assert_eq!(r, ("HTTP/1.0 200 OK".to_string(), "hello GET /x HTTP/1.0".to_string()));
    }
}
