//! The JavaScript SDK (`yuansfer/yuansfer-jssdk`): one function per endpoint in
//! `src/api/index.js`, each `request({ url: '/path', data: { wire: params.x, … } })`; commented-out
//! keys are not sent. It checks nothing, so nothing is `requires`. Only the functions that
//! `export default { … }` lists are copied onto the SDK object by `init()`; the others cannot be
//! called. The body travels as a form (`Qs.stringify`, `application/x-www-form-urlencoded`).

use std::path::Path;

use super::{
    Endpoint, Field, Syntax, Text, block_after, find_all, ident_at, list_files, matching, quoted,
    read_text,
};

const SYNTAX: Syntax = Syntax {
    slash: true,
    hash: false,
    triple: false,
    backtick: true,
};

/// Reads `src/api/*.js` under `dir`, and `src/request.js` for the encoding.
pub(crate) fn extract(dir: &Path) -> Result<Vec<Endpoint>, String> {
    let mut texts = Vec::new();
    for rel in list_files(dir, "src/api", "js")? {
        texts.push(read_text(dir, &rel, SYNTAX)?);
    }
    let request = read_text(dir, "src/request.js", SYNTAX)?;
    let form = request
        .code
        .contains("'Content-Type': 'application/x-www-form-urlencoded");
    let mut endpoints = parse(&texts)?;
    if form {
        for e in &mut endpoints {
            e.encoding = Some("form");
        }
    }
    Ok(endpoints)
}

/// Extracts the endpoints from the API files.
pub(crate) fn parse(texts: &[Text]) -> Result<Vec<Endpoint>, String> {
    let mut endpoints = Vec::new();
    for t in texts {
        let code = &t.code;
        let exported = exports(t)?;
        for at in find_all(code, "function ") {
            let name = ident_at(code, at + "function ".len()).to_string();
            let Some((open, close)) = block_after(code, at) else {
                return Err(t.error(at, &format!("function {name} has no body")));
            };
            let body = code.get(open..close).unwrap_or("");
            let Some(url) = body.find("url:") else {
                continue;
            };
            let Some((_, path)) = quoted(body.get(url..).unwrap_or("")).into_iter().next() else {
                return Err(t.error(open + url, "url: without a string"));
            };
            let mut e = Endpoint {
                name: name.clone(),
                path,
                at: t.at(at),
                ..Endpoint::default()
            };
            if let Some(list) = &exported
                && !list.contains(&name)
            {
                e.broken = Some(format!(
                    "{name} is not in {}'s export default, so init() never puts it on the SDK object",
                    t.rel
                ));
            }
            if let Some(data) = body.find("data:") {
                let from = open + data;
                let Some((d_open, d_close)) = block_after(code, from) else {
                    return Err(t.error(from, "data: without an object"));
                };
                let mut offset = d_open + 1;
                for line in code.get(d_open + 1..d_close).unwrap_or("").split('\n') {
                    let key = line.trim_start();
                    let wire = ident_at(key, 0);
                    if !wire.is_empty() && key[wire.len()..].trim_start().starts_with(':') {
                        e.request.push(Field::optional(wire, t.at(offset)));
                    }
                    offset += line.len() + 1;
                }
            }
            endpoints.push(e);
        }
    }
    Ok(endpoints)
}

/// The names in the file's (uncommented) `export default { … }`, if it has one.
fn exports(t: &Text) -> Result<Option<Vec<String>>, String> {
    let Some(at) = t.code.find("export default") else {
        return Ok(None);
    };
    let rest = t.code.get(at + "export default".len()..).unwrap_or("");
    if !rest.trim_start().starts_with('{') {
        return Ok(None);
    }
    let open = at + "export default".len() + (rest.len() - rest.trim_start().len());
    let close = matching(&t.code, open).ok_or_else(|| t.error(at, "unclosed export default"))?;
    Ok(Some(
        t.code
            .get(open + 1..close)
            .unwrap_or("")
            .split(',')
            .map(|n| n.trim().to_string())
            .filter(|n| !n.is_empty())
            .collect(),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    const API: &str = r#"import request from '../request'
function add(params) {
  return request({
    url: '/app-instore/v3/add',
    method: 'post',
    data: {
      // merchantNo: params.merchantNo,        //required  string
      amount: params.amount,                //optional  decimal: in a comment
      currency: params.currency,
    }
  }).then(res => {
    return res
  })
}
function transList(params) {
  return request({
    url: '/app-data-search/v3/trans-list',
    data: { startDate: params.startDate }
  })
}
// export default { add, transList }
export default {
  add
}
"#;

    #[test]
    fn data_keys_paths_and_unexported_functions() {
        let out = parse(&[Text::new("src/api/index.js", API, SYNTAX)]).unwrap_or_default();
        assert_eq!(out.len(), 2);
        let add = &out[0];
        assert_eq!(add.path, "/app-instore/v3/add");
        assert_eq!(add.at, "src/api/index.js:2");
        let wires: Vec<&str> = add.request.iter().map(|f| f.wire.as_str()).collect();
        assert_eq!(wires, ["amount", "currency"]);
        assert_eq!(add.request[0].at, "src/api/index.js:8");
        assert!(add.broken.is_none());
        let list = &out[1];
        assert!(
            list.broken
                .as_deref()
                .unwrap_or("")
                .contains("transList is not in")
        );
        assert_eq!(list.request.len(), 1);
    }

    #[test]
    fn a_function_without_a_body_is_an_error() {
        let err = parse(&[Text::new(
            "src/api/x.js",
            "function broken(params)\n",
            SYNTAX,
        )])
        .err()
        .unwrap_or_default();
        assert!(err.starts_with("src/api/x.js:1"), "{err}");
    }
}
