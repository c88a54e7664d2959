//! The HTTP/1.1 client the WebDriver client speaks through: one blocking request per
//! connection (`Connection: close`) to a loopback address, a JSON body with its
//! `Content-Length`, and a response read by its `Content-Length`, as chunks
//! (`Transfer-Encoding: chunked`), or to the end of the connection.

use std::io::{self, BufRead, BufReader, Write};
use std::net::{SocketAddr, TcpStream};
use std::time::Duration;

/// A response: status code and raw body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Response {
    /// Status code.
    pub status: u16,
    /// The body, de-chunked.
    pub body: Vec<u8>,
}

/// Sends `method path` with `body` (JSON, possibly empty) to `addr`, which must be a loopback
/// address, and reads the whole response; `timeout` bounds each read and write.
pub fn request(
    addr: SocketAddr,
    method: &str,
    path: &str,
    body: &[u8],
    timeout: Duration,
) -> io::Result<Response> {
    assert!(
        addr.ip().is_loopback(),
        "the browser's HTTP client only talks to loopback addresses, not {addr}"
    );
    let mut stream = TcpStream::connect_timeout(&addr, Duration::from_secs(2))?;
    stream.set_read_timeout(Some(timeout))?;
    stream.set_write_timeout(Some(timeout))?;
    let head = format!(
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json; charset=utf-8\r\n\
         Content-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    stream.write_all(head.as_bytes())?;
    stream.write_all(body)?;
    stream.flush()?;
    read_response(BufReader::new(stream))
}

/// Reads one response: the status line, the headers, then the body as they describe it.
fn read_response(mut reader: impl BufRead) -> io::Result<Response> {
    let status_line = read_line(&mut reader)?;
    let status = status_line
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| invalid(format!("not an HTTP status line: {status_line:?}")))?;
    let mut length = None;
    let mut chunked = false;
    loop {
        let line = read_line(&mut reader)?;
        if line.is_empty() {
            break;
        }
        let Some((name, value)) = line.split_once(':') else {
            return Err(invalid(format!("malformed header line: {line:?}")));
        };
        let value = value.trim();
        if name.eq_ignore_ascii_case("content-length") {
            length = Some(
                value
                    .parse::<usize>()
                    .map_err(|_| invalid(format!("bad Content-Length: {value:?}")))?,
            );
        } else if name.eq_ignore_ascii_case("transfer-encoding") {
            chunked = value.to_ascii_lowercase().contains("chunked");
        }
    }
    let mut body = Vec::new();
    if chunked {
        loop {
            let size_line = read_line(&mut reader)?;
            let size_hex = size_line.split(';').next().unwrap_or_default().trim();
            let size = usize::from_str_radix(size_hex, 16)
                .map_err(|_| invalid(format!("bad chunk size: {size_line:?}")))?;
            if size == 0 {
                // Trailers, if any, up to the empty line.
                while !read_line(&mut reader)?.is_empty() {}
                break;
            }
            let start = body.len();
            body.resize(start + size, 0);
            reader.read_exact(&mut body[start..])?;
            if !read_line(&mut reader)?.is_empty() {
                return Err(invalid("chunk not followed by CRLF".to_owned()));
            }
        }
    } else if let Some(length) = length {
        body.resize(length, 0);
        reader.read_exact(&mut body)?;
    } else {
        reader.read_to_end(&mut body)?;
    }
    Ok(Response { status, body })
}

/// One CRLF-terminated line, without its terminator; an error at the end of the stream.
fn read_line(reader: &mut impl BufRead) -> io::Result<String> {
    let mut raw = Vec::new();
    if reader.read_until(b'\n', &mut raw)? == 0 {
        return Err(io::Error::new(
            io::ErrorKind::UnexpectedEof,
            "connection closed mid-response",
        ));
    }
    while raw.last().is_some_and(|b| *b == b'\n' || *b == b'\r') {
        raw.pop();
    }
    String::from_utf8(raw).map_err(|_| invalid("header line is not UTF-8".to_owned()))
}

fn invalid(message: String) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, message)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_a_body_by_content_length_and_by_chunks() {
        let plain = b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhelloEXTRA";
        let r = read_response(&plain[..]).expect("plain response");
        assert_eq!((r.status, r.body.as_slice()), (200, &b"hello"[..]));

        let chunked = b"HTTP/1.1 404 Not Found\r\nTransfer-Encoding: chunked\r\n\r\n\
                        3\r\nabc\r\nA;ext=1\r\n0123456789\r\n0\r\n\r\n";
        let r = read_response(&chunked[..]).expect("chunked response");
        assert_eq!((r.status, r.body.as_slice()), (404, &b"abc0123456789"[..]));

        let truncated = b"HTTP/1.1 200 OK\r\nContent-Length: 9\r\n\r\nshort";
        assert!(read_response(&truncated[..]).is_err());
    }
}
