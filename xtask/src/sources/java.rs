//! The Java SDK (`yuansfer/yuansfer-java-sdk`): one class per endpoint under
//! `src/main/java/com/yuansfer/payment/request/`, extending `YuanpayRequest`. Its private fields
//! are what it sends (by reflection); `dataValidate()` throws when `StringUtils.isEmpty(this.x)`
//! (or `null == this.x`) or when a `ParamValidator.*Validate("name", this.x)` fails: those are
//! requirements, an `&&` of empty checks is "one of", and a check inside another `if` holds only
//! under that condition. `getAPIUrl` names the path constant of `RequestConstants`;
//! `convertResponse` keeps the `result` object raw, so the response has a key but no fields.
//! `YuanpayConfig.basicParamSetting` adds `storeAdminNo` to every request when configured; that is
//! recorded, with a `bug`, since it says nothing of any one endpoint.
//!
//! The C# SDK has the same shape, so [`Dialect`] carries the differences.

use std::path::Path;

use super::{
    Endpoint, Field, Syntax, Text, add_field, block_after, find_all, ident_at, intended,
    list_files, matching, quoted, read_text,
};

/// How Java and C# spell the same things.
pub(crate) struct Dialect {
    /// The language's syntax.
    pub syntax: Syntax,
    /// The file extension.
    pub ext: &'static str,
    /// Where the sources are.
    pub root: &'static str,
    /// `extends YuanpayRequest` or `: YuanpayRequest`.
    pub base: &'static str,
    /// Reads a line of the class body into the name of the field it declares, if it does.
    pub field: fn(&str) -> Option<String>,
    /// Calls that are true when the argument is empty.
    pub empty: &'static [&'static str],
    /// How a field is referred to in checks (`this.` or nothing).
    pub this: &'static str,
    /// The call that reads a response key.
    pub get: &'static str,
    /// The call that adds a parameter in `basicParamSetting`.
    pub put: &'static str,
    /// Text that shows the body is JSON.
    pub json: &'static str,
}

/// Names read as the envelope, not the payload.
const ENVELOPE: &[&str] = &["ret_code", "ret_msg", "HttpStatus", "HttpMessage"];

fn java_field(line: &str) -> Option<String> {
    let rest = line.trim().strip_prefix("private ")?;
    if rest.starts_with("static") || rest.starts_with("final") {
        return None;
    }
    let decl = rest.split([';', '=']).next()?;
    let name = decl.split_whitespace().nth(1)?;
    (rest.contains(';') && !decl.contains('(')).then(|| name.to_string())
}

/// The Java spelling.
pub(crate) const JAVA: Dialect = Dialect {
    syntax: Syntax {
        slash: true,
        hash: false,
        triple: false,
        backtick: false,
    },
    ext: "java",
    root: "src/main/java",
    base: "extends YuanpayRequest",
    field: java_field,
    empty: &["StringUtils.isEmpty("],
    this: "this.",
    get: "getJSONObject(",
    put: "param.put(",
    json: "MediaType.parse(\"application/json",
};

/// Reads the Java SDK under `dir`.
pub(crate) fn extract(dir: &Path) -> Result<Vec<Endpoint>, String> {
    extract_with(dir, &JAVA)
}

/// Reads an SDK of this shape under `dir`.
pub(crate) fn extract_with(dir: &Path, d: &Dialect) -> Result<Vec<Endpoint>, String> {
    let mut texts = Vec::new();
    for rel in list_files(dir, d.root, d.ext)? {
        texts.push(read_text(dir, &rel, d.syntax)?);
    }
    parse(&texts, d)
}

/// Extracts the endpoints from all the SDK's files.
pub(crate) fn parse(texts: &[Text], d: &Dialect) -> Result<Vec<Endpoint>, String> {
    let consts = constants(texts);
    let json = texts.iter().any(|t| t.code.contains(d.json));
    let extras = config_fields(texts, d);
    let mut endpoints = Vec::new();
    for t in texts {
        let Some(decl) = find_all(&t.code, d.base).into_iter().next() else {
            continue;
        };
        let line_start = t
            .code
            .get(..decl)
            .and_then(|s| s.rfind('\n'))
            .map_or(0, |i| i + 1);
        let header = t.code.get(line_start..decl).unwrap_or("");
        let Some(class_at) = header.find("class ") else {
            continue;
        };
        if header.contains("abstract ") {
            continue;
        }
        let name = ident_at(header, class_at + "class ".len()).to_string();
        let (open, close) =
            block_after(&t.code, decl).ok_or_else(|| t.error(decl, "class without a body"))?;
        let mut e = Endpoint {
            name: name.clone(),
            at: t.at(line_start),
            encoding: json.then_some("json"),
            ..Endpoint::default()
        };
        // Fields at the top level of the class body are what reflection sends.
        let mut offset = open + 1;
        for line in t.code.get(open + 1..close).unwrap_or("").split('\n') {
            if super::depth_at(&t.code, open, offset) == 0
                && let Some(wire) = (d.field)(line)
            {
                e.request.push(Field::optional(&wire, t.at(offset)));
            }
            offset += line.len() + 1;
        }
        let url = method_body(t, open, close, "getAPIUrl(")
            .ok_or_else(|| t.error(decl, &format!("{name}: no getAPIUrl")))?;
        let constant = t
            .code
            .get(url.0..url.1)
            .and_then(|b| b.find("RequestConstants.").map(|i| (b, i)))
            .map(|(b, i)| ident_at(b, i + "RequestConstants.".len()).to_string())
            .ok_or_else(|| t.error(url.0, "getAPIUrl names no RequestConstants path"))?;
        e.path = consts
            .iter()
            .find(|(c, _)| *c == constant)
            .map(|(_, p)| p.clone())
            .ok_or_else(|| t.error(url.0, &format!("unknown RequestConstants.{constant}")))?;
        e.means = intended(&name, &constant, &consts).map(|(c, p)| {
            (
                p.clone(),
                format!("getAPIUrl uses RequestConstants.{constant}, not {c}"),
            )
        });
        if let Some((vo, vc)) = method_body(t, open, close, "dataValidate(") {
            validate(t, d, vo, vc, &[], &mut e.request)?;
        }
        if let Some((ro, rc)) = method_body(t, open, close, "convertResponse(") {
            let body = t.code.get(ro..rc).unwrap_or("");
            for call in find_all(body, d.get) {
                let args = body.get(call + d.get.len()..).unwrap_or("");
                if let Some((0, key)) = quoted(args).into_iter().next()
                    && !ENVELOPE.contains(&key.as_str())
                    && e.response_key.is_none()
                {
                    e.response_key = Some(key);
                }
            }
        }
        for (wire, at) in &extras {
            if !e.request.iter().any(|f| &f.wire == wire) {
                // The configuration adds it to every request alike, so it says nothing of
                // whether this endpoint takes it.
                e.request.push(Field {
                    bug: Some(format!(
                        "basicParamSetting adds {wire} to every request when configured, \
                         whatever the endpoint: no evidence for this one"
                    )),
                    ..Field::optional(wire, at.clone())
                });
            }
        }
        endpoints.push(e);
    }
    Ok(endpoints)
}

/// `NAME = "/path"` in any file: the path constants.
fn constants(texts: &[Text]) -> Vec<(String, String)> {
    let mut found = Vec::new();
    for t in texts {
        for (_, line) in t.code_lines() {
            let Some((decl, value)) = line.split_once('=') else {
                continue;
            };
            let Some(name) = decl.split_whitespace().last() else {
                continue;
            };
            let value = value.trim().trim_end_matches(';').trim();
            if value.starts_with("\"/") && value.ends_with('"') && value.len() > 2 {
                found.push((name.to_string(), value[1..value.len() - 1].to_string()));
            }
        }
    }
    found
}

/// What `basicParamSetting` adds besides identity, with where.
fn config_fields(texts: &[Text], d: &Dialect) -> Vec<(String, String)> {
    let mut found = Vec::new();
    for t in texts {
        for at in find_all(&t.code, "basicParamSetting(") {
            let Some((open, close)) = block_after(&t.code, at) else {
                continue;
            };
            let own = t
                .code
                .get(at..open)
                .is_some_and(|s| !s.contains(';') && s.contains(')'));
            if !own {
                continue;
            }
            let body = t.code.get(open..close).unwrap_or("");
            for call in find_all(body, d.put) {
                let args = body.get(call + d.put.len()..).unwrap_or("");
                if let Some((0, wire)) = quoted(args).into_iter().next()
                    && !super::is_identity(&wire)
                {
                    found.push((wire, t.at(open + call)));
                }
            }
        }
    }
    found
}

/// The body of the method whose declaration contains `name` within the class body.
fn method_body(t: &Text, open: usize, close: usize, name: &str) -> Option<(usize, usize)> {
    let body = t.code.get(open..close)?;
    for at in find_all(body, name) {
        let decl = open + at;
        let paren = decl + name.len() - 1;
        let end = matching(&t.code, paren)?;
        let after = t.code.get(end + 1..)?.trim_start();
        if after.starts_with('{') {
            return block_after(&t.code, end);
        }
    }
    None
}

/// Walks a block of `dataValidate`: every `if (…) {…}` that throws says what is required;
/// validator calls say the same; nested blocks add their condition.
fn validate(
    t: &Text,
    d: &Dialect,
    open: usize,
    close: usize,
    outer: &[String],
    fields: &mut Vec<Field>,
) -> Result<(), String> {
    let code = &t.code;
    let mut i = open + 1;
    while i < close {
        let rest = code.get(i..close).unwrap_or("");
        let starts_word = code
            .as_bytes()
            .get(i.wrapping_sub(1))
            .is_none_or(|b| !(b.is_ascii_alphanumeric() || *b == b'_' || *b == b'.'));
        if starts_word && rest.starts_with("if") && rest[2..].trim_start().starts_with('(') {
            let paren = i + 2 + (rest[2..].len() - rest[2..].trim_start().len());
            let end = matching(code, paren).ok_or_else(|| t.error(paren, "unclosed if ("))?;
            let cond = code.get(paren + 1..end).unwrap_or("");
            let cond = cond.split_whitespace().collect::<Vec<_>>().join(" ");
            let after = code.get(end + 1..close).unwrap_or("");
            let (b_open, b_close) = if after.trim_start().starts_with('{') {
                block_after(code, end).ok_or_else(|| t.error(end, "unclosed block"))?
            } else {
                // A single statement: up to its `;`.
                let semi = after.find(';').map_or(close, |s| end + 1 + s);
                (end, semi)
            };
            let block = code.get(b_open..b_close).unwrap_or("");
            if throws_directly(block) {
                condition(t, d, &cond, paren, outer, fields);
            }
            let mut inner = outer.to_vec();
            inner.push(cond);
            validate(t, d, b_open, b_close, &inner, fields)?;
            i = b_close + 1;
            continue;
        }
        if starts_word && rest.starts_with("else") {
            // `else { … }` holds under the negation of what came before: a condition all the same.
            let after = rest[4..].trim_start();
            if after.starts_with('{') {
                let (b_open, b_close) =
                    block_after(code, i + 4).ok_or_else(|| t.error(i, "unclosed else"))?;
                let mut inner = outer.to_vec();
                inner.push("else".to_string());
                validate(t, d, b_open, b_close, &inner, fields)?;
                i = b_close + 1;
                continue;
            }
        }
        if rest.starts_with("Validate(") {
            let args_at = i + "Validate(".len();
            let end = matching(code, i + "Validate".len())
                .ok_or_else(|| t.error(i, "unclosed Validate("))?;
            let args = code.get(args_at..end).unwrap_or("");
            if let Some(arg) = args.split(',').nth(1) {
                let wire = arg.trim().trim_start_matches(d.this).trim();
                if !wire.is_empty() && wire.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
                    add_field(fields, required(wire, t.at(i), outer));
                }
            }
            i = end + 1;
            continue;
        }
        i += rest.chars().next().map_or(1, char::len_utf8);
    }
    Ok(())
}

/// Whether the block throws outside any nested block.
fn throws_directly(block: &str) -> bool {
    let mut depth = 0usize;
    for (i, b) in block.bytes().enumerate() {
        match b {
            b'{' => depth += 1,
            b'}' => depth = depth.saturating_sub(1),
            b't' if depth <= 1 && block[i..].starts_with("throw ") => return true,
            _ => {}
        }
    }
    false
}

fn required(wire: &str, at: String, outer: &[String]) -> Field {
    if outer.is_empty() {
        Field {
            requires: true,
            ..Field::optional(wire, at)
        }
    } else {
        Field {
            when: Some(outer.join(" and ")),
            ..Field::optional(wire, at)
        }
    }
}

/// Reads a throwing `if`'s condition: empty checks joined by `&&` (one field: required; several:
/// one of them), with any other term or an enclosing `if` making it conditional.
fn condition(
    t: &Text,
    d: &Dialect,
    cond: &str,
    at: usize,
    outer: &[String],
    fields: &mut Vec<Field>,
) {
    if cond.contains("||") {
        return;
    }
    let mut empty = Vec::new();
    let mut other = Vec::new();
    for term in cond.split("&&").map(str::trim) {
        match empty_check(term, d) {
            Some(w) => empty.push(w),
            None => other.push(term.to_string()),
        }
    }
    let mut conds = outer.to_vec();
    conds.extend(other);
    for wire in &empty {
        let mut f = Field::optional(wire, t.at(at));
        if !conds.is_empty() {
            f.when = Some(conds.join(" and "));
        } else if empty.len() > 1 {
            f.when = Some(format!("one of {} is required", empty.join(", ")));
        } else {
            f.requires = true;
        }
        // The field's declaration is its citation; a check of an undeclared name is cited here.
        if let Some(old) = fields.iter().find(|o| o.wire == *wire) {
            f.at = old.at.clone();
        }
        add_field(fields, f);
    }
}

/// `StringUtils.isEmpty(this.x)`, `null == this.x` or `this.x == null` → `x`.
fn empty_check(term: &str, d: &Dialect) -> Option<String> {
    let term = term
        .trim()
        .trim_start_matches('(')
        .trim_end_matches(')')
        .trim();
    let field = |s: &str| {
        let s = s.trim().trim_start_matches(d.this).trim();
        (!s.is_empty() && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'))
            .then(|| s.to_string())
    };
    for call in d.empty {
        if let Some(arg) = term.strip_prefix(call) {
            return field(arg);
        }
    }
    if let Some(rest) = term.strip_prefix("null ==") {
        return field(rest);
    }
    term.strip_suffix("== null").and_then(field)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(rel: &str, src: &str) -> Text {
        Text::new(rel, src, JAVA.syntax)
    }

    const CONSTANTS: &str = "public interface RequestConstants {\n\tString MOBILE_PREPAY = \"/micropay/v3/prepay\";\n}\n";

    const PREPAY: &str = "public class MobilePrepayRequest extends YuanpayRequest<R> {\n\
\tprivate String reference; // id\n\
\tprivate String amount;\n\
\tprivate String vendor;\n\
\tprivate String terminal;\n\
\tprivate String openid;\n\
\tprivate String transactionNo;\n\
\tprivate Integer rmbAmount;\n\
\tprivate static final long serialVersionUID = 1L;\n\
\tprotected void dataValidate() {\n\
\t\tParamValidator.amountValidate(\"amount\", this.amount);\n\
\t\tif (StringUtils.isEmpty(this.reference)) {\n\
\t\t\tthrow new YuanpayException(\"reference missing\");\n\
\t\t}\n\
\t\tif (StringUtils.isEmpty(this.transactionNo) && StringUtils.isEmpty(this.rmbAmount)) {\n\
\t\t\tthrow new YuanpayException(\"one\");\n\
\t\t}\n\
\t\tif (\"wechatpay\".equals(this.vendor)){\n\
\t\t\tif (\"MINIPROGRAM\".equals(this.terminal)\n\
\t\t\t\t\t&& StringUtils.isEmpty(this.openid)) {\n\
\t\t\t\tthrow new YuanpayException(\"openid missing\");\n\
\t\t\t}\n\
\t\t}\n\
\t}\n\
\tprotected String getAPIUrl(String env) {\n\
\t\treturn getUrlPrefix(env) + RequestConstants.MOBILE_PREPAY;\n\
\t}\n\
\tpublic R convertResponse(String ret) {\n\
\t\tresponse.setRetCode(json.getString(\"ret_code\"));\n\
\t\tJSONObject result = json.getJSONObject(\"result\");\n\
\t}\n\
}\n";

    fn field<'a>(e: &'a Endpoint, wire: &str) -> Option<&'a Field> {
        e.request.iter().find(|f| f.wire == wire)
    }

    #[test]
    fn fields_checks_paths_and_the_response_key() {
        let out = parse(
            &[
                text("RequestConstants.java", CONSTANTS),
                text("request/mobile/MobilePrepayRequest.java", PREPAY),
            ],
            &JAVA,
        )
        .unwrap_or_default();
        assert_eq!(out.len(), 1);
        let e = &out[0];
        assert_eq!(e.path, "/micropay/v3/prepay");
        assert_eq!(e.response_key.as_deref(), Some("result"));
        assert_eq!(e.request.len(), 7, "{:?}", e.request);
        assert!(field(e, "amount").is_some_and(|f| f.requires));
        let reference = field(e, "reference");
        assert!(
            reference
                .is_some_and(|f| f.requires && f.at == "request/mobile/MobilePrepayRequest.java:2")
        );
        assert!(field(e, "transactionNo").is_some_and(|f| !f.requires
            && f.when.as_deref() == Some("one of transactionNo, rmbAmount is required")));
        let openid = field(e, "openid");
        assert!(openid.is_some_and(|f| {
            !f.requires
                && f.when
                    .as_deref()
                    .unwrap_or("")
                    .contains("\"wechatpay\".equals(this.vendor)")
        }));
        assert!(field(e, "vendor").is_some_and(|f| !f.requires && f.when.is_none()));
    }

    #[test]
    fn a_missing_path_is_an_error_with_its_place() {
        let bad = "public class XRequest extends YuanpayRequest<R> {\n\tprotected String getAPIUrl(String env) {\n\t\treturn \"x\";\n\t}\n}\n";
        let err = parse(&[text("X.java", bad)], &JAVA)
            .err()
            .unwrap_or_default();
        assert!(err.starts_with("X.java:2"), "{err}");
    }
}
