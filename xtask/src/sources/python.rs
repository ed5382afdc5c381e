//! The Python SDK (`yuansfer/yuansfer-python-sdk`): one method per endpoint in
//! `yuansfer/api/*.py`, posting the caller's own dict `body` (so it can send any field) to
//! `_url_path = constant.X` (`yuansfer/constant.py`). What it requires: `requiredFileds = […]`
//! passed to `validate_parameter`, the name checks `self.validation('x', body['x'], kind)` (and
//! the older `self.amount_validate('x', body['x'])`), and `RequireParamsError('x')`; a pair whose
//! absence raises "cannot be null at the same time" is "one of". The body travels as a form.

use std::path::Path;

use super::{Endpoint, Field, Syntax, Text, add_field, intended, list_files, quoted, read_text};

const SYNTAX: Syntax = Syntax {
    slash: false,
    hash: true,
    triple: true,
    backtick: false,
};

/// Reads `yuansfer/constant.py` and `yuansfer/api/*.py` under `dir`.
pub(crate) fn extract(dir: &Path) -> Result<Vec<Endpoint>, String> {
    let constant = read_text(dir, "yuansfer/constant.py", SYNTAX)?;
    let mut apis = Vec::new();
    for rel in list_files(dir, "yuansfer/api", "py")? {
        if !rel.ends_with("/base_api.py") && !rel.ends_with("/__init__.py") {
            apis.push(read_text(dir, &rel, SYNTAX)?);
        }
    }
    let form = apis.iter().chain(list_base(dir).iter()).any(|t| {
        t.code
            .contains("'Content-Type': 'application/x-www-form-urlencoded'")
    });
    let mut endpoints = parse(&constant, &apis)?;
    if form {
        for e in &mut endpoints {
            e.encoding = Some("form");
        }
    }
    Ok(endpoints)
}

fn list_base(dir: &Path) -> Vec<Text> {
    read_text(dir, "yuansfer/api/base_api.py", SYNTAX)
        .into_iter()
        .collect()
}

/// `NAME = "…" + OTHER + "…"` lines, evaluated.
fn constants(t: &Text) -> Result<Vec<(String, String)>, String> {
    let mut found: Vec<(String, String)> = Vec::new();
    for (offset, line) in t.code_lines() {
        let Some((name, expr)) = line.split_once('=') else {
            continue;
        };
        let name = name.trim();
        if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
            continue;
        }
        let mut value = String::new();
        for part in expr.split('+') {
            let part = part.trim();
            if let Some((_, s)) = quoted(part).into_iter().next() {
                value.push_str(&s);
            } else if let Some((_, v)) = found.iter().find(|(n, _)| n == part) {
                value.push_str(v);
            } else {
                return Err(t.error(offset, &format!("{name}: cannot evaluate {part:?}")));
            }
        }
        found.push((name.to_string(), value));
    }
    Ok(found)
}

/// Extracts the endpoints of the API files, with paths from `constant.py`.
pub(crate) fn parse(constant: &Text, apis: &[Text]) -> Result<Vec<Endpoint>, String> {
    let consts = constants(constant)?;
    let mut endpoints = Vec::new();
    for t in apis {
        let lines: Vec<(usize, &str)> = t.code_lines().collect();
        let mut i = 0;
        while i < lines.len() {
            let (offset, line) = lines[i];
            let indent = line.len() - line.trim_start().len();
            let Some(rest) = line.trim_start().strip_prefix("def ") else {
                i += 1;
                continue;
            };
            let name = rest.split('(').next().unwrap_or("").trim().to_string();
            let mut end = i + 1;
            while end < lines.len() {
                let l = lines[end].1;
                let ind = l.len() - l.trim_start().len();
                if !l.trim().is_empty() && ind <= indent {
                    break;
                }
                end += 1;
            }
            if !name.starts_with('_')
                && let Some(e) = method(t, &consts, &name, offset, &lines[i + 1..end])?
            {
                endpoints.push(e);
            }
            i = end;
        }
    }
    Ok(endpoints)
}

/// One `def`: `None` when it names no `_url_path`.
fn method(
    t: &Text,
    consts: &[(String, String)],
    name: &str,
    offset: usize,
    body: &[(usize, &str)],
) -> Result<Option<Endpoint>, String> {
    let Some((path_offset, constant)) = body.iter().find_map(|(o, l)| {
        let rest = l
            .trim()
            .strip_prefix("_url_path")?
            .trim_start()
            .strip_prefix('=')?;
        Some((*o, rest.trim().strip_prefix("constant.")?.to_string()))
    }) else {
        return Ok(None);
    };
    let path = consts
        .iter()
        .find(|(c, _)| *c == constant)
        .map(|(_, p)| p.clone())
        .ok_or_else(|| t.error(path_offset, &format!("unknown constant.{constant}")))?;
    let mut e = Endpoint {
        name: name.to_string(),
        path,
        at: t.at(offset),
        ..Endpoint::default()
    };
    e.means = intended(name, &constant, consts).map(|(c, p)| {
        (
            p.clone(),
            format!("_url_path = constant.{constant}, not constant.{c}"),
        )
    });
    let base = body
        .iter()
        .find(|(_, l)| !l.trim().is_empty())
        .map(|(_, l)| l.len() - l.trim_start().len())
        .unwrap_or(0);
    let validated = body
        .iter()
        .any(|(_, l)| l.contains("validate_parameter(requiredFileds"));
    for (k, (o, line)) in body.iter().enumerate() {
        let trimmed = line.trim();
        let indent = line.len() - line.trim_start().len();
        let conds = enclosing_conditions(body, k);
        // Every `body[...]`/`body.get(...)` is a field the method knows of.
        for key in ["body['", "body[\"", "body.get('", "body.get(\""] {
            for (at, _) in line.match_indices(key) {
                let start = at + key.len() - 1;
                if let Some((_, wire)) = quoted(line.get(start..).unwrap_or("")).into_iter().next()
                {
                    add_field(&mut e.request, Field::optional(&wire, t.at(*o)));
                }
            }
        }
        if let Some(list) = trimmed.strip_prefix("requiredFileds") {
            for (_, wire) in quoted(list) {
                let f = Field {
                    requires: validated,
                    ..Field::optional(&wire, t.at(*o))
                };
                add_field(&mut e.request, f);
            }
        }
        let check = ["self.validation(", "_validate("]
            .iter()
            .find_map(|k| line.find(k).map(|at| at + k.len()));
        let raise = line
            .find("RequireParamsError(")
            .map(|at| at + "RequireParamsError(".len());
        if let Some(start) = check {
            // The value checked is the `body['x']` argument; the first string only names it.
            let args = line.get(start..).unwrap_or("");
            let wire = args
                .find("body[")
                .and_then(|b| quoted(args.get(b..).unwrap_or("")).into_iter().next())
                .map(|(_, w)| w);
            if let Some(wire) = wire {
                add_field(
                    &mut e.request,
                    checked(&wire, t.at(*o), indent == base, &conds),
                );
            }
        } else if let Some(start) = raise
            && let Some((_, wire)) = quoted(line.get(start..).unwrap_or("")).into_iter().next()
        {
            add_field(
                &mut e.request,
                checked(&wire, t.at(*o), indent == base, &conds),
            );
        }
        if line.contains("cannot be null at the same time")
            && let Some(cond) = k.checked_sub(1).and_then(|j| body.get(j))
        {
            let names: Vec<String> = ["body['", "body[\""]
                .iter()
                .flat_map(|key| cond.1.match_indices(key).map(|(a, _)| a + key.len() - 1))
                .filter_map(|s| quoted(cond.1.get(s..).unwrap_or("")).into_iter().next())
                .map(|(_, w)| w)
                .fold(Vec::new(), |mut acc, w| {
                    if !acc.contains(&w) {
                        acc.push(w);
                    }
                    acc
                });
            for wire in &names {
                let mut f = Field::optional(wire, t.at(cond.0));
                f.when = Some(format!("one of {} is required", names.join(", ")));
                add_field(&mut e.request, f);
            }
        }
    }
    Ok(Some(e))
}

fn checked(wire: &str, at: String, top: bool, conds: &[String]) -> Field {
    if top || conds.is_empty() {
        Field {
            requires: true,
            ..Field::optional(wire, at)
        }
    } else {
        Field {
            when: Some(conds.join(" and ")),
            ..Field::optional(wire, at)
        }
    }
}

/// The conditions of the `if` lines that enclose line `k`, outermost first.
fn enclosing_conditions(body: &[(usize, &str)], k: usize) -> Vec<String> {
    let indent = |l: &str| l.len() - l.trim_start().len();
    let Some((_, line)) = body.get(k) else {
        return Vec::new();
    };
    let mut level = indent(line);
    let mut conds = Vec::new();
    for (_, l) in body[..k].iter().rev() {
        if l.trim().is_empty() || indent(l) >= level {
            continue;
        }
        level = indent(l);
        if let Some(c) = l.trim().strip_prefix("if ") {
            conds.push(c.trim_end_matches(':').trim().to_string());
        }
    }
    conds.reverse();
    conds
}

#[cfg(test)]
mod tests {
    use super::*;

    const CONSTANT: &str = "VERSION = \"v3\"\nAUTH_FREEAE = \"/app-auth/\"+VERSION+\"/auth-freeze\"\nAUTH_UNFREEZE = \"/app-auth/\"+VERSION+\"/auth-unfreeze\"\nMOBILE_PREPAY = \"/micropay/\"+VERSION+\"/prepay\"\n";

    const API: &str = r#"class A(BaseApi):

    def auth_unfreeze(self,
                  body):
        """POST Request body['notAField']
        """
        _url_path = constant.AUTH_FREEAE
        outAuthInfoNo = body.get('outAuthInfoNo')
        authInfoNo = body.get('authInfoNo')
        if (outAuthInfoNo and authInfoNo and (body['outAuthInfoNo'] and body['authInfoNo']) is None) or (not outAuthInfoNo and not authInfoNo):
            raise InvalidParamsError("outAuthInfoNo and authInfoNo cannot be null at the same time")
        requiredFileds = ['outAuthDetailNo','currency']
        self.validate_parameter(requiredFileds,body)
        self.validation('unfreezeAmount',body['unfreezeAmount'],'amount')

    def mobile_prepay(self, body):
        _url_path = constant.MOBILE_PREPAY
        self.amount_validate('amount',body['amount'])
        if body['vendor'] == 'wechatpay':
            if body['terminal'] == 'MINIPROGRAM' and body['openid'] is None:
                raise RequireParamsError('openid')
"#;

    fn parsed() -> Vec<Endpoint> {
        let constant = Text::new("yuansfer/constant.py", CONSTANT, SYNTAX);
        let api = Text::new("yuansfer/api/auth_api.py", API, SYNTAX);
        match parse(&constant, &[api]) {
            Ok(out) => out,
            Err(e) => panic!("{e}"),
        }
    }

    fn field<'a>(e: &'a Endpoint, wire: &str) -> Option<&'a Field> {
        e.request.iter().find(|f| f.wire == wire)
    }

    #[test]
    fn paths_requirements_and_one_of() {
        let out = parsed();
        assert_eq!(out.len(), 2);
        let e = &out[0];
        assert_eq!(e.path, "/app-auth/v3/auth-freeze");
        assert_eq!(e.at, "yuansfer/api/auth_api.py:3");
        assert_eq!(
            e.means.as_ref().map(|m| m.0.as_str()),
            Some("/app-auth/v3/auth-unfreeze")
        );
        assert!(field(e, "notAField").is_none(), "docstrings are not code");
        assert!(field(e, "outAuthInfoNo").is_some_and(|f| !f.requires
            && f.when.as_deref() == Some("one of outAuthInfoNo, authInfoNo is required")));
        assert!(field(e, "currency").is_some_and(|f| f.requires && f.at.ends_with(":12")));
        assert!(field(e, "unfreezeAmount").is_some_and(|f| f.requires));
    }

    #[test]
    fn a_nested_raise_is_a_condition() {
        let out = parsed();
        let e = &out[1];
        assert!(field(e, "amount").is_some_and(|f| f.requires));
        let openid = field(e, "openid");
        assert!(openid.is_some_and(|f| {
            !f.requires
                && f.when
                    .as_deref()
                    .unwrap_or("")
                    .contains("body['vendor'] == 'wechatpay'")
        }));
        assert!(field(e, "vendor").is_some_and(|f| !f.requires));
    }

    #[test]
    fn an_unknown_constant_is_an_error_with_its_place() {
        let constant = Text::new("yuansfer/constant.py", CONSTANT, SYNTAX);
        let api = Text::new(
            "yuansfer/api/x.py",
            "class X:\n    def x(self, body):\n        _url_path = constant.NOPE\n",
            SYNTAX,
        );
        let err = parse(&constant, &[api]).err().unwrap_or_default();
        assert!(err.starts_with("yuansfer/api/x.py:3"), "{err}");
    }
}
