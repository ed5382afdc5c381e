#!/usr/bin/env python3
"""Capture server shared by the Go, PHP, JS and Java recorders (stdlib only).

Usage::

    capture_server.py --out DIR --sdk LABEL -- COMMAND [ARG...]

Starts an HTTP server on 127.0.0.1 (random free port; HTTPS with ``--tls-cert`` and
``--tls-key``) and runs COMMAND with ``CONFORMANCE_BASE_URL=http://127.0.0.1:PORT`` (or
``https://``) in its environment.  COMMAND is the
recording program of one SDK: for each call it

1. POSTs a JSON object to ``$CONFORMANCE_BASE_URL/__conformance__/begin``::

       {"name": "instore_add", "call": "InStoreAdd.PostToYuansfer",
        "path": "/app-instore/v3/add", "sdk_bug": null}

   ``path`` is the path the SDK is expected to hit (a mismatch is an error, so a wrong
   path has to be expected, and explained in ``sdk_bug``, on purpose); an optional
   ``"sign_mismatch": true`` says the SDK is known to send a verifySign that the
   documented algorithm does not give (``sdk_bug`` must then say why);
2. makes the SDK send its request, pointed at ``$CONFORMANCE_BASE_URL``;
3. POSTs ``{}`` to ``$CONFORMANCE_BASE_URL/__conformance__/end``.

Every other request is recorded verbatim (method, path, Content-Type, raw body) and
answered with ``{"ret_code":"000100","ret_msg":"success","result":{}}``.  When COMMAND
exits 0, each call must have sent exactly one request, to the expected path, carrying
merchantNo, storeNo and a verifySign that matches the documented algorithm (over all
fields, or over the non-empty ones: the Go SDK leaves empty values out).  Then one
``<name>.json`` per call is written into DIR, in the format of
tests/conformance/python/*.json; stale files of the same ``sdk`` label are removed.
"""

import argparse
import hashlib
import http.server
import json
import os
import ssl
import subprocess
import sys
import threading
import urllib.parse

TOKEN = "5cbfb079f15b150122261c8537086d77"  # test token, fine to commit
RESPONSE = b'{"ret_code":"000100","ret_msg":"success","result":{}}'
CONTROL = "/__conformance__/"


class State:
    def __init__(self):
        self.lock = threading.Lock()
        self.calls = []          # list of dicts: meta + "requests"
        self.current = None
        self.errors = []


def read_body(handler):
    te = (handler.headers.get("Transfer-Encoding") or "").lower()
    if "chunked" in te:
        chunks = []
        while True:
            size = int(handler.rfile.readline().split(b";")[0].strip(), 16)
            if size == 0:
                while handler.rfile.readline() not in (b"\r\n", b"\n", b""):
                    pass
                break
            chunks.append(handler.rfile.read(size))
            handler.rfile.readline()
        return b"".join(chunks), True
    return handler.rfile.read(int(handler.headers.get("Content-Length") or 0)), False


def make_handler(state):
    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def _answer(self, payload, status=200):
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def _handle(self):
            body, chunked = read_body(self)
            if self.path.startswith(CONTROL):
                what = self.path[len(CONTROL):]
                with state.lock:
                    if what == "begin":
                        meta = json.loads(body.decode("utf-8"))
                        if state.current is not None:
                            state.errors.append("begin %s while %s is open"
                                                % (meta.get("name"), state.current["name"]))
                        meta["requests"] = []
                        state.calls.append(meta)
                        state.current = meta
                    elif what == "end":
                        if state.current is None:
                            state.errors.append("end without begin")
                        state.current = None
                    else:
                        state.errors.append("unknown control request " + self.path)
                self._answer(b"{}")
                return
            req = {
                "method": self.command,
                "target": self.path,
                "content_type": self.headers.get("Content-Type"),
                "chunked": chunked,
                "body": body,
            }
            with state.lock:
                if state.current is None:
                    state.errors.append("request outside any call: %s %s" % (self.command, self.path))
                else:
                    state.current["requests"].append(req)
            self._answer(RESPONSE)

        do_POST = do_GET = do_PUT = do_DELETE = do_PATCH = _handle

        def log_message(self, *args):
            pass

    return Handler


def decode_params(raw, content_type):
    """Return (params: name -> str, non_string_values: [names])."""
    text = raw.decode("utf-8")
    ctype = (content_type or "").split(";")[0].strip().lower()
    if ctype == "application/json" or text.lstrip().startswith("{"):
        pairs = json.loads(text, object_pairs_hook=lambda p: p)
        if not isinstance(pairs, list):
            raise ValueError("JSON body is not an object")
        params, non_string = {}, []
        for name, value in pairs:
            if name in params:
                raise ValueError("duplicate key %r in body" % name)
            if isinstance(value, str):
                params[name] = value
            else:
                # keep the value's JSON text
                params[name] = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
                non_string.append(name)
        return params, sorted(non_string)
    params = {}
    for name, value in urllib.parse.parse_qsl(text, keep_blank_values=True, strict_parsing=bool(text)):
        if name in params:
            raise ValueError("duplicate form field %r" % name)
        params[name] = value
    return params, []


def sign(params, names):
    joined = "&".join("%s=%s" % (n, params[n]) for n in sorted(names))
    token_md5 = hashlib.md5(TOKEN.encode("utf-8")).hexdigest()
    return hashlib.md5((joined + "&" + token_md5).encode("utf-8")).hexdigest()


def sign_variant(params):
    """Which documented variant verifySign matches: 'all', 'non-empty' or None."""
    names = [n for n in params if n != "verifySign"]
    if params.get("verifySign") == sign(params, names):
        return "all"
    non_empty = [n for n in names if params[n] not in ("", "null")]
    if params.get("verifySign") == sign(params, non_empty):
        return "non-empty"
    return None


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", required=True, help="directory for the <call_name>.json files")
    ap.add_argument("--sdk", required=True, help='the fixtures\' "sdk" label')
    ap.add_argument("--tls-cert", help="serve HTTPS with this PEM certificate (and --tls-key)")
    ap.add_argument("--tls-key", help="PEM private key for --tls-cert")
    ap.add_argument("command", nargs=argparse.REMAINDER)
    args = ap.parse_args()
    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    if not command:
        ap.error("no command given")

    state = State()
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), make_handler(state))
    server.daemon_threads = True
    scheme = "http"
    if args.tls_cert:
        # For an SDK whose HTTP client refuses cleartext (the Java SDK's OkHttp client
        # allows only its MODERN_TLS connection spec).
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(args.tls_cert, args.tls_key)
        server.socket = ctx.wrap_socket(server.socket, server_side=True)
        scheme = "https"
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base_url = "%s://127.0.0.1:%d" % (scheme, server.server_address[1])

    env = dict(os.environ, CONFORMANCE_BASE_URL=base_url)
    no_proxy = ",".join(filter(None, [env.get("NO_PROXY"), "127.0.0.1", "localhost"]))
    env["NO_PROXY"] = env["no_proxy"] = no_proxy
    rc = subprocess.call(command, env=env)
    server.shutdown()
    server.server_close()
    if rc != 0:
        print("capture_server: recorder exited %d; nothing written" % rc, file=sys.stderr)
        return 1

    errors = list(state.errors)
    records = {}
    for call in state.calls:
        name = call["name"]
        if name in records:
            errors.append("%s: duplicate call name" % name)
            continue
        got = call["requests"]
        if len(got) != 1:
            errors.append("%s: sent %d requests" % (name, len(got)))
            continue
        req = got[0]
        parsed = urllib.parse.urlsplit(req["target"])
        path = parsed.path + ("?" + parsed.query if parsed.query else "")
        if path != call["path"]:
            errors.append("%s: sent to %s, expected %s" % (name, path, call["path"]))
            continue
        try:
            body_text = req["body"].decode("utf-8")
            params, non_string = decode_params(req["body"], req["content_type"])
        except (UnicodeDecodeError, ValueError) as exc:
            errors.append("%s: cannot decode body %r: %s" % (name, req["body"], exc))
            continue
        missing = [k for k in ("merchantNo", "storeNo", "verifySign") if k not in params]
        if missing:
            errors.append("%s: %s not sent" % (name, ", ".join(missing)))
            continue
        variant = sign_variant(params)
        if call.get("sign_mismatch"):
            # A recorder may expect a signature the server would reject (an SDK bug that
            # its sdk_bug text explains); it must then really match neither variant.
            if variant is not None or not call.get("sdk_bug"):
                errors.append("%s: expected a verifySign that matches no variant (and an sdk_bug), "
                              "got %s" % (name, variant))
                continue
            variant = "NO (expected: see sdk_bug)"
        elif variant is None:
            errors.append("%s: verifySign %s matches neither variant of the documented algorithm"
                          % (name, params["verifySign"]))
            continue
        print("capture_server: %-40s %s %s (%s, signed over %s fields)"
              % (name, req["method"], path, (req["content_type"] or "-").split(";")[0], variant))
        records[name] = {
            "sdk": args.sdk,
            "call": call["call"],
            "method": req["method"],
            "path": path,
            "content_type": req["content_type"],
            "body": body_text,
            "params": params,
            "non_string_values": non_string,
            "sdk_bug": call.get("sdk_bug"),
        }
    if errors:
        for e in errors:
            print("capture_server: error: " + e, file=sys.stderr)
        print("capture_server: nothing written", file=sys.stderr)
        return 1

    os.makedirs(args.out, exist_ok=True)
    # Drop stale recordings of ours (calls renamed or removed), never other files.
    for fname in os.listdir(args.out):
        full = os.path.join(args.out, fname)
        if fname.endswith(".json") and fname[:-5] not in records:
            try:
                with open(full, encoding="utf-8") as fh:
                    if json.load(fh).get("sdk") == args.sdk:
                        os.remove(full)
            except (OSError, ValueError, AttributeError):
                pass
    for name, rec in records.items():
        with open(os.path.join(args.out, name + ".json"), "w", encoding="utf-8", newline="\n") as fh:
            json.dump(rec, fh, indent=2, sort_keys=True, ensure_ascii=False)
            fh.write("\n")
    print("capture_server: wrote %d files into %s" % (len(records), args.out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
