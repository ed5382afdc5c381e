//! The Go SDK (`yuansfer/golang_sdk`): one struct per request, its `json` tags the wire names;
//! `PostToYuansfer` passes a path constant of `api.go` to `postToYuansfer`; the response structs
//! of the same file, rooted at the one with `ret_code`/`ret_msg`, are what it reads.
//!
//! The SDK checks nothing before it posts, so nothing is `requires`; and since only some tags say
//! `omitempty`, it sends the others as `""` when unset.

use std::path::Path;

use super::{Endpoint, Field, Read, Syntax, Text, block_after, ident_at, intended, read_text};

const SYNTAX: Syntax = Syntax {
    slash: true,
    hash: false,
    triple: false,
    backtick: true,
};

/// Reads the package at the root of `dir`.
pub(crate) fn extract(dir: &Path) -> Result<Vec<Endpoint>, String> {
    let mut texts = Vec::new();
    let entries = std::fs::read_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let mut names: Vec<String> = entries
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".go") && !n.ends_with("_test.go"))
        .collect();
    names.sort();
    for name in names {
        texts.push(read_text(dir, &name, SYNTAX)?);
    }
    parse(&texts)
}

struct GoField {
    wire: String,
    ty: String,
    offset: usize,
}

struct GoStruct {
    name: String,
    file: usize,
    offset: usize,
    fields: Vec<GoField>,
}

/// Extracts the endpoints from the package's files.
pub(crate) fn parse(texts: &[Text]) -> Result<Vec<Endpoint>, String> {
    let consts = constants(texts);
    let structs = structs(texts)?;
    let json = texts
        .iter()
        .any(|t| t.code.contains("\"Content-Type\", \"application/json"));
    let mut endpoints = Vec::new();
    for t in texts {
        for (offset, line) in t.code_lines() {
            let Some(rest) = line.trim_start().strip_prefix("func (") else {
                continue;
            };
            if !line.contains(") PostToYuansfer(") {
                continue;
            }
            let mut words = rest.split(|c: char| c == ')' || c.is_whitespace());
            let (_receiver, ty) = (words.next(), words.next().unwrap_or(""));
            let ty = ty.trim_start_matches('*');
            let (open, close) = block_after(&t.code, offset)
                .ok_or_else(|| t.error(offset, "PostToYuansfer without a body"))?;
            let body = t.code.get(open..close).unwrap_or("");
            let call = body
                .find("postToYuansfer(")
                .ok_or_else(|| t.error(offset, "PostToYuansfer does not call postToYuansfer"))?;
            let constant = ident_at(body, call + "postToYuansfer(".len());
            let path = consts
                .iter()
                .find(|(c, _)| c == constant)
                .map(|(_, p)| p.clone())
                .ok_or_else(|| {
                    t.error(open + call, &format!("unknown path constant {constant}"))
                })?;
            let request = structs
                .iter()
                .find(|s| s.name == ty)
                .ok_or_else(|| t.error(offset, &format!("no struct {ty}")))?;
            let rt = texts.get(request.file).unwrap_or(t);
            let mut e = Endpoint {
                name: ty.to_string(),
                path,
                at: rt.at(request.offset),
                encoding: json.then_some("json"),
                ..Endpoint::default()
            };
            e.means = intended(ty, constant, &consts).map(|(c, p)| {
                (
                    p.clone(),
                    format!("PostToYuansfer passes {constant}, not {c}"),
                )
            });
            for f in &request.fields {
                e.request.push(Field::optional(&f.wire, rt.at(f.offset)));
            }
            read_response(&mut e, request.file, &structs, texts);
            endpoints.push(e);
        }
    }
    Ok(endpoints)
}

/// The response root is a struct of the request's file with a `ret_code` or `ret_msg` tag; its
/// struct-typed field is where the payload is, or its own fields are the payload.
fn read_response(e: &mut Endpoint, file: usize, structs: &[GoStruct], texts: &[Text]) {
    let roots = structs.iter().filter(|s| {
        s.file == file
            && s.fields
                .iter()
                .any(|f| f.wire == "ret_code" || f.wire == "ret_msg")
    });
    for root in roots {
        let Some(rt) = texts.get(root.file) else {
            continue;
        };
        let find = |ty: &str| {
            let bare = ty.trim_start_matches("[]").trim_start_matches('*');
            structs.iter().find(|s| s.name == bare)
        };
        let payload = root
            .fields
            .iter()
            .find(|f| f.wire != "ret_code" && f.wire != "ret_msg" && find(&f.ty).is_some());
        if let Some(key) = payload {
            e.response_key = Some(key.wire.clone());
            if let Some(inner) = find(&key.ty) {
                let it = texts.get(inner.file).unwrap_or(rt);
                for f in &inner.fields {
                    e.response.push(Read {
                        wire: f.wire.clone(),
                        at: it.at(f.offset),
                    });
                }
            }
        } else {
            for f in &root.fields {
                if f.wire != "ret_code" && f.wire != "ret_msg" {
                    e.response.push(Read {
                        wire: f.wire.clone(),
                        at: rt.at(f.offset),
                    });
                }
            }
        }
    }
}

/// `Name = "/path"` lines, the path constants.
fn constants(texts: &[Text]) -> Vec<(String, String)> {
    let mut found = Vec::new();
    for t in texts {
        for (_, line) in t.code_lines() {
            let Some((name, value)) = line.split_once('=') else {
                continue;
            };
            let name = name.trim().trim_start_matches("const ").trim();
            let value = value.trim();
            let is_ident =
                !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
            if is_ident && value.starts_with("\"/") && value.ends_with('"') && value.len() > 2 {
                found.push((name.to_string(), value[1..value.len() - 1].to_string()));
            }
        }
    }
    found
}

/// `type Name struct { … }` with their tagged fields.
fn structs(texts: &[Text]) -> Result<Vec<GoStruct>, String> {
    let mut found = Vec::new();
    for (file, t) in texts.iter().enumerate() {
        for (offset, line) in t.code_lines() {
            let trimmed = line.trim();
            let Some(rest) = trimmed.strip_prefix("type ") else {
                continue;
            };
            let mut words = rest.split_whitespace();
            let (Some(name), Some(kind)) = (words.next(), words.next()) else {
                continue;
            };
            if !kind.starts_with("struct") {
                continue;
            }
            let (open, close) = block_after(&t.code, offset)
                .ok_or_else(|| t.error(offset, &format!("struct {name} is not closed")))?;
            let mut fields = Vec::new();
            let body = t.code.get(open + 1..close).unwrap_or("");
            let mut at = open + 1;
            for field_line in body.split('\n') {
                if let Some(f) = field(field_line, at) {
                    fields.push(f);
                }
                at += field_line.len() + 1;
            }
            found.push(GoStruct {
                name: name.to_string(),
                file,
                offset,
                fields,
            });
        }
    }
    Ok(found)
}

/// `Name Type `json:"wire,omitempty"`` → the field; untagged or `json:"-"` fields are not sent.
fn field(line: &str, offset: usize) -> Option<GoField> {
    let (decl, tag) = line.split_once('`')?;
    let mut words = decl.split_whitespace();
    let (_name, ty) = (words.next()?, words.next()?);
    let json = tag.split_once("json:\"")?.1;
    let wire = json.split(['"', ',']).next()?;
    if wire.is_empty() || wire == "-" {
        return None;
    }
    Some(GoField {
        wire: wire.to_string(),
        ty: ty.to_string(),
        offset,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(rel: &str, src: &str) -> Text {
        Text::new(rel, src, SYNTAX)
    }

    const API: &str = "package y\nconst (\n\tURIYipApp = \"/micropay/v3/prepay\"\n\tURIYipProcess = \"/creditpay/v3/process\"\n\tURIPosAdd = \"/app-instore/v3/add\"\n)\n";

    #[test]
    fn tags_paths_and_the_response_payload() {
        let add = "package y\n\
type InStoreAdd struct {\n\
\tMerchantNo string `json:\"merchantNo\"`\n\
\tAmount string `json:\"amount\"` // the amount\n\
\tSkip string\n\
}\n\
func (s InStoreAdd) PostToYuansfer() ([]byte, error) {\n\
\treturn postToYuansfer(URIPosAdd, s)\n\
}\n\
type AddResponse struct {\n\
\tResult string `json:\"ret_code\"`\n\
\tTransaction AddRet `json:\"transaction\"`\n\
}\n\
type AddRet struct {\n\
\tTransactionNo string `json:\"transactionNo\"`\n\
}\n";
        let out = parse(&[text("api.go", API), text("pos_add.go", add)]);
        let out = out.unwrap_or_default();
        assert_eq!(out.len(), 1);
        let e = &out[0];
        assert_eq!(e.path, "/app-instore/v3/add");
        assert_eq!(e.at, "pos_add.go:2");
        let wires: Vec<&str> = e.request.iter().map(|f| f.wire.as_str()).collect();
        assert_eq!(wires, ["merchantNo", "amount"]);
        assert_eq!(e.request[1].at, "pos_add.go:4");
        assert!(e.request.iter().all(|f| !f.requires));
        assert_eq!(e.response_key.as_deref(), Some("transaction"));
        assert_eq!(e.response[0].wire, "transactionNo");
        assert_eq!(e.response[0].at, "pos_add.go:15");
    }

    #[test]
    fn a_type_posting_to_another_types_path_is_caught() {
        let process = "package y\ntype Process struct {\n\tNonce string `json:\"paymentMethodNonce\"`\n}\nfunc (p Process) PostToYuansfer() ([]byte, error) {\n\treturn postToYuansfer(URIYipApp, p)\n}\n";
        let out =
            parse(&[text("api.go", API), text("yip_process.go", process)]).unwrap_or_default();
        let means = out.first().and_then(|e| e.means.clone());
        assert_eq!(means.map(|m| m.0).as_deref(), Some("/creditpay/v3/process"));
    }

    #[test]
    fn an_unknown_constant_is_an_error_with_its_place() {
        let bad = "package y\ntype Q struct {\n}\nfunc (q Q) PostToYuansfer() ([]byte, error) {\n\treturn postToYuansfer(URINope, q)\n}\n";
        let err = parse(&[text("q.go", bad)]).err().unwrap_or_default();
        assert!(err.starts_with("q.go:5"), "{err}");
        assert!(err.contains("URINope"), "{err}");
    }
}
