//! The C# SDK (`yuansfer/yuansfer-csharp-sdk`): the Java SDK's design (see [`super::java`]) with
//! `{ get; set; }` properties for fields, `string.IsNullOrEmpty(x)` checks, `json.GetValue("key")`
//! for the response, and a JSON body. It keeps several classes twice under two names (the
//! `dataSearch/` and `transaction/` folders, `CustomerRegister`/`RegisterCustomer`, …), which
//! [`super::finish`] marks as copies.

use std::path::Path;

use super::java::{Dialect, extract_with};
use super::{Endpoint, Syntax};

fn property(line: &str) -> Option<String> {
    let rest = line.trim().strip_prefix("public ")?;
    let (decl, accessors) = rest.split_once('{')?;
    if !accessors.contains("get;") || decl.contains('(') || rest.starts_with("static") {
        return None;
    }
    decl.split_whitespace().nth(1).map(str::to_string)
}

/// The C# spelling.
const CSHARP: Dialect = Dialect {
    syntax: Syntax {
        slash: true,
        hash: false,
        triple: false,
        backtick: false,
    },
    ext: "cs",
    root: "src",
    base: ": YuanpayRequest",
    field: property,
    empty: &["string.IsNullOrEmpty(", "String.IsNullOrEmpty("],
    this: "this.",
    get: "GetValue(",
    put: "param.Add(",
    json: "\"application/json\")",
};

/// Reads the C# SDK under `dir`.
pub(crate) fn extract(dir: &Path) -> Result<Vec<Endpoint>, String> {
    extract_with(dir, &CSHARP)
}

#[cfg(test)]
mod tests {
    use super::super::Text;
    use super::super::java::parse;
    use super::*;

    const CONSTANTS: &str = "public static class RequestConstants\n{\n    public const string INSTORE_ADD = \"/app-instore/v3/add\";\n    public const string INSTORE_CASHIER_ADD = \"/app-instore/v3/cashier-add\";\n}\n";

    const CASHIER: &str = "namespace X\n{\n    public class InstoreCashierAddRequest : YuanpayRequest<InstoreCashierAddResponse>\n    {\n        public string amount { get; set; } //Transaction amount\n        public int? timeout { get; set; }\n        public string ipnUrl { get; set; }\n        protected override void dataValidate()\n        {\n            ParamValidator.amountValidate(\"amount\", amount);\n            if (string.IsNullOrEmpty(ipnUrl))\n            {\n                throw new YuanpayException(\"ipnUrl is missing\");\n            }\n        }\n        protected override string getAPIUrl(string env)\n        {\n            string url = getUrlPrefix(env) + RequestConstants.INSTORE_ADD;\n            return url;\n        }\n        public override InstoreCashierAddResponse convertResponse(string ret)\n        {\n            if (json.GetValue(\"HttpStatus\") != null) { }\n            if (json.GetValue(\"result\") != null) { }\n        }\n    }\n}\n";

    const CONFIG: &str = "public class YuanpayConfig\n{\n    public SortedDictionary<string,string> basicParamSetting(SortedDictionary<string,string> param)\n    {\n        param.Add(\"merchantNo\", merchantNo);\n        if (!string.IsNullOrEmpty(storeAdminNo))\n        {\n            param.Add(\"storeAdminNo\", storeAdminNo);\n        }\n        return param;\n    }\n}\n";

    #[test]
    fn properties_checks_misroutes_and_config_fields() {
        let texts = [
            Text::new("src/request/RequestConstants.cs", CONSTANTS, CSHARP.syntax),
            Text::new(
                "src/request/offline/InstoreCashierAddRequest.cs",
                CASHIER,
                CSHARP.syntax,
            ),
            Text::new("src/config/YuanpayConfig.cs", CONFIG, CSHARP.syntax),
        ];
        let out = parse(&texts, &CSHARP).unwrap_or_default();
        assert_eq!(out.len(), 1);
        let e = &out[0];
        assert_eq!(e.at, "src/request/offline/InstoreCashierAddRequest.cs:3");
        assert_eq!(e.path, "/app-instore/v3/add");
        assert_eq!(
            e.means.as_ref().map(|m| m.0.as_str()),
            Some("/app-instore/v3/cashier-add")
        );
        assert_eq!(e.response_key.as_deref(), Some("result"));
        let wires: Vec<(&str, bool)> = e
            .request
            .iter()
            .map(|f| (f.wire.as_str(), f.requires))
            .collect();
        assert_eq!(
            wires,
            [
                ("amount", true),
                ("timeout", false),
                ("ipnUrl", true),
                ("storeAdminNo", false)
            ]
        );
        assert_eq!(e.request[3].at, "src/config/YuanpayConfig.cs:8");
        assert!(
            e.request[3].bug.is_some(),
            "a configuration field is no evidence"
        );
    }
}
