//! `multipart/form-data` request bodies (file uploads), encoded up front so that a retry can
//! send the same bytes again.

use bytes::{BufMut, Bytes, BytesMut};

/// A `multipart/form-data` body: text fields and files, sent in the order they were added.
#[derive(Clone, Debug, Default)]
pub struct Multipart {
    parts: Vec<Part>,
}

#[derive(Clone, Debug)]
struct Part {
    name: String,
    filename: Option<String>,
    content_type: Option<String>,
    data: Bytes,
}

impl Multipart {
    /// An empty form.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a text field.
    pub fn text(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.parts.push(Part {
            name: name.into(),
            filename: None,
            content_type: None,
            data: Bytes::from(value.into()),
        });
        self
    }

    /// Adds a file.
    pub fn file(
        mut self,
        name: impl Into<String>,
        filename: impl Into<String>,
        content_type: impl Into<String>,
        data: impl Into<Bytes>,
    ) -> Self {
        self.parts.push(Part {
            name: name.into(),
            filename: Some(filename.into()),
            content_type: Some(content_type.into()),
            data: data.into(),
        });
        self
    }

    /// The `content-type` (with its boundary) and the encoded body.
    pub(super) fn encode(&self) -> (String, Bytes) {
        let boundary = format!(
            "sdkgen-{:016x}{:016x}",
            fastrand::u64(..),
            fastrand::u64(..)
        );
        let mut body = BytesMut::new();
        for part in &self.parts {
            body.put_slice(format!("--{boundary}\r\n").as_bytes());
            let mut disposition = format!(
                "Content-Disposition: form-data; name=\"{}\"",
                quote(&part.name)
            );
            if let Some(filename) = &part.filename {
                disposition.push_str(&format!("; filename=\"{}\"", quote(filename)));
            }
            body.put_slice(disposition.as_bytes());
            body.put_slice(b"\r\n");
            if let Some(content_type) = &part.content_type {
                let content_type: String =
                    content_type.chars().filter(|c| !c.is_control()).collect();
                body.put_slice(format!("Content-Type: {content_type}\r\n").as_bytes());
            }
            body.put_slice(b"\r\n");
            body.put_slice(&part.data);
            body.put_slice(b"\r\n");
        }
        body.put_slice(format!("--{boundary}--\r\n").as_bytes());
        (
            format!("multipart/form-data; boundary={boundary}"),
            body.freeze(),
        )
    }
}

/// Escapes a field or file name the way browsers do (WHATWG HTML): quotes and line breaks
/// would otherwise end the header early.
fn quote(name: &str) -> String {
    name.replace('"', "%22")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodes_fields_and_files() {
        let form = Multipart::new().text("title", "a \"cat\"").file(
            "image",
            "cat\r\n.png",
            "image/png",
            vec![1u8, 2, 3],
        );
        let (content_type, body) = form.encode();
        let boundary = content_type
            .strip_prefix("multipart/form-data; boundary=")
            .unwrap();
        let expected = format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"title\"\r\n\r\na \"cat\"\r\n\
             --{boundary}\r\nContent-Disposition: form-data; name=\"image\"; filename=\"cat%0D%0A.png\"\r\n\
             Content-Type: image/png\r\n\r\n\u{1}\u{2}\u{3}\r\n--{boundary}--\r\n"
        );
        assert_eq!(body, expected.as_bytes());
    }
}
