//! A real SMTP server inside the test process: it speaks the protocol over TCP (lettre cannot tell it
//! from Postfix) and keeps what it receives. It can refuse the next N mails with a 451, as a
//! struggling server would.

use std::sync::{Arc, Mutex};

use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpListener;

#[derive(Debug, Clone)]
pub struct Received {
    pub from: String,
    pub to: Vec<String>,
    pub data: String,
}

#[derive(Clone, Default)]
pub struct SmtpServer {
    pub port: u16,
    received: Arc<Mutex<Vec<Received>>>,
    refuse_next: Arc<Mutex<u32>>,
}

impl SmtpServer {
    pub async fn start() -> SmtpServer {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let server = SmtpServer { port: listener.local_addr().unwrap().port(), ..Default::default() };
        let shared = server.clone();
        tokio::spawn(async move {
            while let Ok((socket, _)) = listener.accept().await {
                tokio::spawn(shared.clone().session(socket));
            }
        });
        server
    }

    pub fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}", self.port)
    }

    pub fn received(&self) -> Vec<Received> {
        self.received.lock().unwrap().clone()
    }

    #[allow(dead_code)]
    pub fn refuse_next(&self, n: u32) {
        *self.refuse_next.lock().unwrap() = n;
    }

    async fn session(self, socket: tokio::net::TcpStream) {
        let (read, mut write) = socket.into_split();
        let mut lines = BufReader::new(read).lines();
        let _ = write.write_all(b"220 test-smtp ready\r\n").await;
        let (mut from, mut to) = (String::new(), Vec::new());
        while let Ok(Some(line)) = lines.next_line().await {
            let upper = line.to_ascii_uppercase();
            let reply: &[u8] = if upper.starts_with("EHLO") || upper.starts_with("HELO") {
                b"250-test-smtp\r\n250 8BITMIME\r\n"
            } else if upper.starts_with("MAIL FROM:") {
                from = line[10..].trim().trim_matches(['<', '>']).to_owned();
                to.clear();
                b"250 OK\r\n"
            } else if upper.starts_with("RCPT TO:") {
                to.push(line[8..].trim().trim_matches(['<', '>']).to_owned());
                b"250 OK\r\n"
            } else if upper == "DATA" {
                let _ = write.write_all(b"354 end with <CRLF>.<CRLF>\r\n").await;
                let mut data = String::new();
                while let Ok(Some(l)) = lines.next_line().await {
                    if l == "." {
                        break;
                    }
                    data.push_str(l.strip_prefix('.').unwrap_or(&l));
                    data.push('\n');
                }
                let refuse = {
                    let mut n = self.refuse_next.lock().unwrap();
                    let refuse = *n > 0;
                    *n = n.saturating_sub(1);
                    refuse
                };
                if refuse {
                    b"451 try again later\r\n"
                } else {
                    self.received.lock().unwrap().push(Received { from: from.clone(), to: to.clone(), data });
                    b"250 queued\r\n"
                }
            } else if upper == "QUIT" {
                let _ = write.write_all(b"221 bye\r\n").await;
                break;
            } else if upper.starts_with("RSET") || upper.starts_with("NOOP") {
                b"250 OK\r\n"
            } else {
                b"502 not implemented\r\n"
            };
            if write.write_all(reply).await.is_err() {
                break;
            }
        }
    }
}
