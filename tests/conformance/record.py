#!/usr/bin/env python3
"""Record the HTTP requests the official Python SDK (PyPI ``yuansfer==3.0.4``) sends.

Usage (from the workspace root)::

    target/bench-venv/bin/python tests/conformance/record.py --out tests/conformance/python

A capture server on 127.0.0.1 (random free port) records every request and answers
``{"ret_code":"000100","ret_msg":"success","result":{}}``.  The SDK is pointed at it and
every public API method it implements is called with the fields the SDK itself requires
(plus a few ``*_full`` variants with common optional fields).  One JSON file per call is
written into the output directory.

All input values are fixed (no clock, no randomness), so a re-run produces identical files.

Standard library plus the ``yuansfer`` package only.
"""

import argparse
import copy
import hashlib
import http.server
import importlib.metadata
import json
import os
import sys
import threading
import urllib.parse

# requests honours *_PROXY variables; keep loopback traffic direct.  This does not change
# what the SDK sends.
os.environ["NO_PROXY"] = ",".join(filter(None, [os.environ.get("NO_PROXY"), "127.0.0.1", "localhost"]))
os.environ["no_proxy"] = os.environ["NO_PROXY"]

from yuansfer import constant  # noqa: E402
from yuansfer.api.base_api import BaseApi  # noqa: E402
from yuansfer.client import Client  # noqa: E402
from yuansfer.configuration import Configuration  # noqa: E402
from yuansfer.dto.recurring.paypal_billingcycle import PayPalBillingCycle  # noqa: E402
from yuansfer.dto.recurring.paypal_billingcycle_amount import PayPalBillingCycleAmount  # noqa: E402
from yuansfer.dto.recurring.paypal_billingcycle_frequency import PayPalBillingCycleFrequency  # noqa: E402
from yuansfer.dto.recurring.paypal_billingcycle_pricingscheme import PayPalBillingCyclePricingScheme  # noqa: E402
from yuansfer.dto.recurring.paypal_paymentpreferences import PayPalPaymentPreferences  # noqa: E402
from yuansfer.dto.recurring.paypal_paymentpreferences_setupfee import PayPalPaymentPreferencesSetUpFee  # noqa: E402
from yuansfer.dto.recurring.paypal_productschema import PayPalProductSchema  # noqa: E402
from yuansfer.dto.recurring.paypal_taxes import PayPalTaxes  # noqa: E402

SDK_LABEL = "yuansfer 3.0.4 (PyPI)"
MERCHANT_NO = "200043"
STORE_NO = "300014"
TOKEN = "5cbfb079f15b150122261c8537086d77"  # test token, fine to commit

RESPONSE = b'{"ret_code":"000100","ret_msg":"success","result":{}}'

IPN_URL = "https://merchant.example/ipn"
CALLBACK_URL = "https://merchant.example/return"
TIMESTAMP = "2024-05-01T12:00:00Z"  # the SDK's 'timestamp' format: YYYY-MM-DDTHH:MM:SSZ (UTC)

TXN_NO = "297553638301777927"
CUSTOMER_NO = "2000305228245724354226"
ACCOUNT_TOKEN = "acct-tok-7f3a9c2e"
AUTO_DEBIT_NO = "300002410251234567"
OUT_AUTH_INFO_NO = "conf-auth-info-001"
OUT_AUTH_DETAIL_NO = "conf-auth-detail-001"


# --------------------------------------------------------------------------- capture server

class Capture:
    def __init__(self):
        self.lock = threading.Lock()
        self.requests = []

    def take(self):
        with self.lock:
            got, self.requests = self.requests, []
        return got


def make_handler(capture):
    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def _record(self):
            te = (self.headers.get("Transfer-Encoding") or "").lower()
            if "chunked" in te:
                chunks = []
                while True:
                    size = int(self.rfile.readline().split(b";")[0].strip(), 16)
                    if size == 0:
                        while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                            pass
                        break
                    chunks.append(self.rfile.read(size))
                    self.rfile.readline()
                body = b"".join(chunks)
            else:
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            with capture.lock:
                capture.requests.append({
                    "method": self.command,
                    "target": self.path,
                    "content_type": self.headers.get("Content-Type"),
                    "chunked": "chunked" in te,
                    "body": body,
                })
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(RESPONSE)))
            self.end_headers()
            self.wfile.write(RESPONSE)

        do_POST = do_GET = do_PUT = do_DELETE = do_PATCH = _record

        def log_message(self, *args):
            pass

    return Handler


# --------------------------------------------------------------------------- the calls

def paypal_full_body():
    # Built exactly as the SDK's own tests/api/test_recurring_api.py does: DTOs json.dumps'ed
    # into strings.
    cycle = PayPalBillingCycle()
    cycle.sequence = 1
    cycle.tenure_type = "REGULAR"
    cycle.total_cycles = 12
    cycle.frequency = PayPalBillingCycleFrequency()
    cycle.frequency.interval_count = 1
    cycle.frequency.interval_unit = "MONTH"
    cycle.pricing_scheme = PayPalBillingCyclePricingScheme()
    cycle.pricing_scheme.fixed_price = PayPalBillingCycleAmount()
    cycle.pricing_scheme.fixed_price.value = "12.50"
    cycle.pricing_scheme.fixed_price.currency_code = "USD"

    prefs = PayPalPaymentPreferences()
    prefs.auto_bill_outstanding = True
    prefs.setup_fee = PayPalPaymentPreferencesSetUpFee()
    prefs.setup_fee.value = "1.00"
    prefs.setup_fee.currency_code = "USD"
    prefs.setup_fee_failure_action = "CONTINUE"
    prefs.Payment_failure_threshold = 3

    taxes = PayPalTaxes()
    taxes.percentage = "10"
    taxes.inclusive = False

    schema = PayPalProductSchema()
    schema.type = "SERVICE"
    schema.category = "SOFTWARE"

    return {
        "clientId": "conf-paypal-client-id",
        "secret": "conf-paypal-secret",
        "amount": "12.50",
        "productName": "Conformance product",
        "planName": "Conformance monthly plan",
        "planDescription": "Monthly plan used by the conformance recorder",
        "requestIdProduct": "conf-paypal_subscription_full-product",
        "requestIdPlan": "conf-paypal_subscription_full-plan",
        "frequency": "MONTH",
        "billingCycles": json.dumps([cycle]),
        "paymentPreferences": json.dumps(prefs),
        "taxes": json.dumps(taxes),
        "productSchema": json.dumps(schema),
    }


UPDATE_RECURRING_BUG = (
    "update_recurring always raises TypeError (it indexes the list requiredFileds with "
    "'paymentCount'), so the SDK never sends this request; this record is what the method's "
    "remaining lines send when run directly (execute_request on RECURRING_UPDATE)"
)

# (file name, api group attribute on Client, method name, body, sdk_bug or None, expected path)
# Each body holds the fields the SDK's own validation requires, unless the name ends in
# _full (or another suffix), which adds common optional fields.
CALLS = [
    # ----- online
    ("secure_pay", "online", "secure_pay", {
        "amount": "12.50", "currency": "USD", "settleCurrency": "USD", "vendor": "alipay",
        "terminal": "ONLINE", "reference": "conf-secure_pay", "ipnUrl": IPN_URL,
        "callbackUrl": CALLBACK_URL,
    }, None, "/online/v3/secure-pay"),
    ("secure_pay_full", "online", "secure_pay", {
        "amount": "12.50", "currency": "USD", "settleCurrency": "USD", "vendor": "alipay",
        "terminal": "ONLINE", "reference": "conf-secure_pay_full", "ipnUrl": IPN_URL,
        "callbackUrl": CALLBACK_URL, "description": "Order 1001", "note": "gift wrap",
        "timeout": "120",
        "goodsInfo": '[{"goods_name":"Tea","quantity":"2"}]',
    }, None, "/online/v3/secure-pay"),
    # Non-ASCII text: json.dumps escapes it as \uXXXX in the body, while the signature is
    # computed over the unescaped text.
    ("secure_pay_unicode", "online", "secure_pay", {
        "amount": "12.50", "currency": "USD", "settleCurrency": "USD", "vendor": "alipay",
        "terminal": "ONLINE", "reference": "conf-secure_pay_unicode", "ipnUrl": IPN_URL,
        "callbackUrl": CALLBACK_URL, "description": "Caf\u00e9 cr\u00e8me \u5496\u5561",
    }, None, "/online/v3/secure-pay"),
    ("process", "online", "process", {
        "paymentMethod": "credit_card", "paymentMethodNonce": "tokencc_bc_conf_process",
        "transactionNo": TXN_NO,
    }, None, "/creditpay/v3/process"),

    # ----- offline (in-store)
    ("instore_add", "offline", "instore_add", {
        "amount": "12.50", "currency": "USD", "settleCurrency": "USD",
        "reference": "conf-instore_add",
    }, None, "/app-instore/v3/add"),
    ("instore_add_full", "offline", "instore_add", {
        "amount": "12.50", "currency": "USD", "settleCurrency": "USD",
        "reference": "conf-instore_add_full", "storeAdminNo": "cashier-01", "timeout": "30",
        "description": "Counter sale",
    }, None, "/app-instore/v3/add"),
    ("instore_cashier_add", "offline", "instore_cashier_add", {
        "amount": "12.50", "currency": "USD", "settleCurrency": "USD",
        "reference": "conf-instore_cashier_add", "ipnUrl": IPN_URL, "storeAdminNo": "cashier-01",
    }, None, "/app-instore/v3/cashier-add"),
    ("instore_create_tran_qrcode", "offline", "instore_create_tran_qrcode", {
        "amount": "12.50", "currency": "USD", "settleCurrency": "USD",
        "reference": "conf-instore_create_tran_qrcode",
    }, None, "/app-instore/v3/create-trans-qrcode"),
    ("instore_create_tran_qrcode_full", "offline", "instore_create_tran_qrcode", {
        "amount": "12.50", "currency": "USD", "settleCurrency": "USD",
        "reference": "conf-instore_create_tran_qrcode_full", "vendor": "alipay",
        "ipnUrl": IPN_URL, "needQrcode": "true", "timeout": "60",
    }, None, "/app-instore/v3/create-trans-qrcode"),
    ("instore_pay", "offline", "instore_pay", {
        "transactionNo": TXN_NO, "paymentBarcode": "286123456789012345", "vendor": "alipay",
    }, None, "/app-instore/v3/pay"),
    ("third_party_acquire_create", "offline", "third_party_acquire_create", {
        "amount": "12.50", "currency": "USD", "settleCurrency": "USD", "vendor": "alipay",
        "reference": "conf-third_party_acquire_create", "alipayUserId": "2088102146225135",
    }, None, "/app-thirdpart/v3/acquire-create"),
    ("generate_mixed_qrcode", "offline", "generate_mixed_qrcode", {
        "saleAmount": "12.50", "currency": "USD", "settleCurrency": "USD",
        "reference": "conf-generate_mixed_qrcode",
    }, None, "/appUnicode/generateMixedCode"),

    # ----- mobile
    ("mobile_prepay", "mobile", "mobile_prepay", {
        "amount": "12.50", "currency": "USD", "settleCurrency": "USD", "vendor": "alipay",
        "terminal": "APP", "reference": "conf-mobile_prepay",
    }, None, "/micropay/v3/prepay"),
    ("mobile_prepay_full", "mobile", "mobile_prepay", {
        "amount": "12.50", "currency": "USD", "settleCurrency": "USD", "vendor": "alipay",
        "terminal": "APP", "reference": "conf-mobile_prepay_full", "ipnUrl": IPN_URL,
        "callbackUrl": CALLBACK_URL, "description": "Order 1002", "note": "in-app",
        "timeout": "120",
    }, None, "/micropay/v3/prepay"),
    # The SDK additionally requires openid for vendor wechatpay + terminal MINIPROGRAM.
    ("mobile_prepay_miniprogram", "mobile", "mobile_prepay", {
        "amount": "12.50", "currency": "USD", "settleCurrency": "USD", "vendor": "wechatpay",
        "terminal": "MINIPROGRAM", "reference": "conf-mobile_prepay_miniprogram",
        "openid": "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o",
    }, None, "/micropay/v3/prepay"),
    ("express_pay", "mobile", "express_pay", {
        "amount": "12.50", "currency": "USD", "settleCurrency": "USD",
        "reference": "conf-express_pay", "cardNumber": "4111111111111111",
        "cardExpYear": "2030", "cardExpMonth": "12", "cardCvv": "123",
        "clientIp": "203.0.113.7",
    }, None, "/micropay/v3/express-pay"),

    # ----- auth (pre-authorisation)
    ("auth_voucher_create", "auth", "auth_voucher_create", {
        "amount": "12.50", "outAuthInfoNo": OUT_AUTH_INFO_NO,
        "outAuthDetailNo": OUT_AUTH_DETAIL_NO, "vendor": "alipay",
    }, None, "/app-auth/v3/voucher-create"),
    ("auth_freeze", "auth", "auth_freeze", {
        "amount": "12.50", "currency": "USD", "settleCurrency": "USD", "vendor": "alipay",
        "outAuthInfoNo": OUT_AUTH_INFO_NO, "outAuthDetailNo": OUT_AUTH_DETAIL_NO,
    }, "auth_freeze posts to constant.AUTH_UNFREEZE (/app-auth/v3/auth-unfreeze) instead of "
       "/app-auth/v3/auth-freeze: the freeze and unfreeze paths are swapped.",
     "/app-auth/v3/auth-unfreeze"),
    ("auth_unfreeze", "auth", "auth_unfreeze", {
        "unfreezeAmount": "5.00", "currency": "USD", "settleCurrency": "USD",
        "outAuthInfoNo": OUT_AUTH_INFO_NO, "outAuthDetailNo": OUT_AUTH_DETAIL_NO,
    }, "auth_unfreeze posts to constant.AUTH_FREEAE (/app-auth/v3/auth-freeze) instead of "
       "/app-auth/v3/auth-unfreeze: the freeze and unfreeze paths are swapped.",
     "/app-auth/v3/auth-freeze"),
    ("auth_capture", "auth", "auth_capture", {
        "amount": "7.50", "currency": "USD", "settleCurrency": "USD",
        "outAuthInfoNo": OUT_AUTH_INFO_NO, "outAuthDetailNo": OUT_AUTH_DETAIL_NO,
        "reference": "conf-auth_capture",
    }, None, "/app-auth/v3/auth-capture"),
    ("auth_detail_query", "auth", "auth_detail_query", {
        "outAuthInfoNo": OUT_AUTH_INFO_NO, "outAuthDetailNo": OUT_AUTH_DETAIL_NO,
    }, None, "/app-auth/v3/auth-detail-query"),

    # ----- data search
    ("refund", "data_search", "refund", {
        "refundAmount": "5.00", "currency": "USD", "settleCurrency": "USD",
        "transactionNo": TXN_NO,
    }, None, "/app-data-search/v3/refund"),
    ("refund_full", "data_search", "refund", {
        "refundAmount": "5.00", "currency": "USD", "settleCurrency": "USD",
        "reference": "conf-secure_pay", "refundReference": "conf-refund_full",
    }, None, "/app-data-search/v3/refund"),
    ("reverse", "data_search", "reverse", {
        "transactionNo": TXN_NO,
    }, None, "/app-data-search/v3/cancel"),
    ("tran_query", "data_search", "tran_query", {
        "transactionNo": TXN_NO,
    }, None, "/app-data-search/v3/tran-query"),
    ("tran_query_reference", "data_search", "tran_query", {
        "reference": "conf-secure_pay",
    }, None, "/app-data-search/v3/tran-query"),
    ("mixed_query", "data_search", "mixed_query", {
        "reference": "conf-generate_mixed_qrcode",
    }, None, "/appUnicode/mixedQuery"),
    ("mixed_cancel", "data_search", "mixed_cancel", {
        "reference": "conf-generate_mixed_qrcode",
    }, "mixed_cancel posts to constant.REVERSE (/app-data-search/v3/cancel) instead of "
       "constant.MIXED_CANCEL (/appUnicode/mixedCancel), which the SDK defines but never uses.",
     "/app-data-search/v3/cancel"),

    # ----- payout
    ("payout_pay", "payout", "pay", {
        "amount": "12.50", "currency": "USD", "customerNo": CUSTOMER_NO,
        "accountToken": ACCOUNT_TOKEN, "invoiceId": "conf-payout_pay",
    }, None, "/v3/payouts/pay"),
    ("payout_pay_full", "payout", "pay", {
        "amount": "12.50", "currency": "USD", "customerNo": CUSTOMER_NO,
        "accountToken": ACCOUNT_TOKEN, "invoiceId": "conf-payout_pay_full",
        "subject": "Payout", "description": "Thank you", "note": "May payout",
        "ipnUrl": IPN_URL,
    }, None, "/v3/payouts/pay"),
    ("payout_inquiry", "payout", "inquiry", {
        "invoiceId": "conf-payout_pay",
    }, None, "/v3/payouts/inquiry"),
    ("payout_balance", "payout", "balance", {
        "timestamp": TIMESTAMP, "currency": "USD",
    }, None, "/v3/payouts/balance"),
    ("create_payee", "payout", "create_payee", {
        "timestamp": TIMESTAMP, "accountType": "PAYPAL", "accountTag": "payee@merchant.example",
        "clientIp": "203.0.113.7", "customerNo": CUSTOMER_NO, "accountCountry": "US",
        "accountCurrency": "USD",
    }, None, "/v2/customers/account/create"),
    ("retrieve_payee", "payout", "retrieve_payee", {
        "timestamp": TIMESTAMP, "accountType": "PAYPAL", "customerNo": CUSTOMER_NO,
        "accountToken": ACCOUNT_TOKEN,
    }, None, "/v2/customers/account/retrieve"),

    # ----- recurring / auto-debit
    ("recurring_consult", "recurring", "consult", {
        "osType": "IOS", "osVersion": "17.4", "autoRedirectUrl": CALLBACK_URL,
        "autoReference": "conf-recurring_consult", "vendor": "alipay", "terminal": "APP",
    }, None, "/auto-debit/v3/consult"),
    ("apply_token", "recurring", "apply_token", {
        "autoDebitNo": AUTO_DEBIT_NO, "grantType": "AUTHORIZATION_CODE",
    }, None, "/auto-debit/v3/apply-token"),
    ("auto_pay", "recurring", "auto_pay", {
        "amount": "12.50", "currency": "USD", "settleCurrency": "USD",
        "reference": "conf-auto_pay", "autoDebitNo": AUTO_DEBIT_NO,
    }, None, "/auto-debit/v3/pay"),
    ("auto_pay_full", "recurring", "auto_pay", {
        "amount": "12.50", "currency": "USD", "settleCurrency": "USD",
        "reference": "conf-auto_pay_full", "autoDebitNo": AUTO_DEBIT_NO, "ipnUrl": IPN_URL,
    }, None, "/auto-debit/v3/pay"),
    ("recurring_revoke", "recurring", "revoke", {
        "autoDebitNo": AUTO_DEBIT_NO,
    }, None, "/auto-debit/v3/revoke"),
    # paymentCount is an int: the SDK's (unreachable) check `paymentCount <= 0` needs a number.
    ("update_recurring", "recurring", "update_recurring", {
        "paymentCount": 12, "status": "CANCELLED",
    }, UPDATE_RECURRING_BUG, "/creditpay/v3/update-recurring"),
    ("update_recurring_full", "recurring", "update_recurring", {
        "scheduleNo": "conf-schedule-001", "paymentCount": 12, "status": "CANCELLED",
    }, UPDATE_RECURRING_BUG, "/creditpay/v3/update-recurring"),
    ("paypal_subscription", "recurring", "paypal_subscription", {
        "clientId": "conf-paypal-client-id", "secret": "conf-paypal-secret",
    }, None, "/paypal-subscription/create-plan"),
    ("paypal_subscription_full", "recurring", "paypal_subscription", paypal_full_body(),
     None, "/paypal-subscription/create-plan"),

    # ----- customer
    ("customer_create_account", "customer", "create_account", {
        "timestamp": TIMESTAMP, "email": "jane.doe@merchant.example", "firstName": "Jane",
        "lastName": "Doe", "countryCode": "US",
    }, None, "/v1/customers/create"),
    ("customer_create_account_full", "customer", "create_account", {
        "timestamp": TIMESTAMP, "email": "jane.doe@merchant.example", "firstName": "Jane",
        "lastName": "Doe", "countryCode": "US", "customerCode": "conf-customer-001",
        "phone": "2125550123", "street": "1 Main St", "city": "New York", "state": "NY",
        "zip": "10001",
    }, None, "/v1/customers/create"),
    ("customer_retrieve_account", "customer", "retrieve_account", {
        "timestamp": TIMESTAMP, "customerNo": CUSTOMER_NO, "customerCode": "conf-customer-001",
    }, None, "/v1/customers/retrieve"),
    ("customer_update_account", "customer", "update_account", {
        "timestamp": TIMESTAMP, "customerNo": CUSTOMER_NO,
    }, None, "/v1/customers/update"),
    ("customer_update_account_full", "customer", "update_account", {
        "timestamp": TIMESTAMP, "customerNo": CUSTOMER_NO, "city": "Brooklyn",
        "phone": "7185550188",
    }, None, "/v1/customers/update"),
]

# Every public API method of yuansfer 3.0.4; checked against the installed package so a
# method cannot be missed silently.
EXPECTED_METHODS = {
    "online": {"secure_pay", "process"},
    "offline": {"instore_add", "instore_cashier_add", "instore_create_tran_qrcode", "instore_pay",
                "third_party_acquire_create", "generate_mixed_qrcode"},
    "mobile": {"express_pay", "mobile_prepay"},
    "auth": {"auth_capture", "auth_detail_query", "auth_unfreeze", "auth_freeze",
             "auth_voucher_create"},
    "data_search": {"refund", "reverse", "tran_query", "mixed_query", "mixed_cancel"},
    "payout": {"pay", "inquiry", "balance", "retrieve_payee", "create_payee"},
    "recurring": {"apply_token", "auto_pay", "consult", "revoke", "update_recurring",
                  "paypal_subscription"},
    "customer": {"create_account", "retrieve_account", "update_account"},
}


# --------------------------------------------------------------------------- helpers

def fail(msg):
    print("record.py: error: " + msg, file=sys.stderr)
    sys.exit(1)


def public_methods(api):
    base = set(dir(BaseApi))
    return {n for n in dir(api) if not n.startswith("_") and n not in base
            and callable(getattr(api, n))}


def decode_params(raw, content_type):
    """Return (params: name -> str, non_string_values: [names], null_names: [names])."""
    text = raw.decode("utf-8")
    if (content_type or "").split(";")[0].strip().lower() == "application/json" or text.lstrip().startswith("{"):
        pairs = json.loads(text, object_pairs_hook=lambda p: p)
        if not isinstance(pairs, list):
            raise ValueError("JSON body is not an object")
        params, non_string, nulls = {}, [], []
        for name, value in pairs:
            if name in params:
                raise ValueError("duplicate key %r in body" % name)
            if isinstance(value, str):
                params[name] = value
            else:
                # keep the value's JSON text
                params[name] = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
                non_string.append(name)
                if value is None:
                    nulls.append(name)
        return params, sorted(non_string), nulls
    params = {}
    for name, value in urllib.parse.parse_qsl(text, keep_blank_values=True, strict_parsing=bool(text)):
        if name in params:
            raise ValueError("duplicate form field %r" % name)
        params[name] = value
    return params, [], []


def expected_sign(params, skip):
    names = sorted(n for n in params if n != "verifySign" and n not in skip)
    joined = "&".join("%s=%s" % (n, params[n]) for n in names)
    token_md5 = hashlib.md5(TOKEN.encode("utf-8")).hexdigest()
    return hashlib.md5((joined + "&" + token_md5).encode("utf-8")).hexdigest()


def send_update_recurring_past_bug(api, body):
    """The lines of RecurringApi.update_recurring after its crashing check, run as-is."""
    _query_url = api.config.get_base_uri() + constant.RECURRING_UPDATE
    _request = api.config.http_client.post(_query_url, headers=None, parameters=body)
    api.execute_request(_request)


# --------------------------------------------------------------------------- main

def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", required=True, help="directory for the <call_name>.json files")
    args = ap.parse_args()

    version = importlib.metadata.version("yuansfer")
    if version != "3.0.4" or Client.sdk_version() != "3.0.4":
        fail("expected yuansfer 3.0.4, found %s" % version)

    capture = Capture()
    # Threaded, so a keep-alive connection held by requests' pool cannot block shutdown().
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), make_handler(capture))
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    base_url = "http://127.0.0.1:%d" % server.server_address[1]

    client = Client(merchantNo=MERCHANT_NO, storeNo=STORE_NO, token=TOKEN,
                    environment="capture", max_retries=0, timeout=10)
    # The SDK has no base-URL option: Configuration.get_base_uri() returns
    # self.environments[self.environment], where `environments` is a class-level dict holding
    # only 'production' and 'sandbox'.  Smallest monkeypatch: shadow that dict on this one
    # Configuration instance with an extra 'capture' entry.  Every API object shares this
    # config, and nothing else in the SDK is touched.
    client.config.environments = dict(Configuration.environments, capture=base_url)

    for group, methods in EXPECTED_METHODS.items():
        found = public_methods(getattr(client, group))
        if found != methods:
            fail("client.%s methods differ from the expected list: extra %s, missing %s"
                 % (group, sorted(found - methods), sorted(methods - found)))
    covered = {(g, m) for _, g, m, _, _, _ in CALLS}
    missing = {(g, m) for g, ms in EXPECTED_METHODS.items() for m in ms} - covered
    if missing:
        fail("no call recorded for: %s" % sorted("%s.%s" % gm for gm in missing))
    names = [c[0] for c in CALLS]
    if len(set(names)) != len(names):
        fail("duplicate call names")

    records = {}
    for name, group, method, body, sdk_bug, want_path in CALLS:
        api = getattr(client, group)
        sent_body = copy.deepcopy(body)  # the SDK adds merchantNo/storeNo/verifySign to it
        capture.take()
        if (group, method) == ("recurring", "update_recurring"):
            try:
                getattr(api, method)(sent_body)
            except TypeError as exc:
                if capture.take():
                    fail("%s: sent a request before raising" % name)
                if "list indices must be integers" not in str(exc):
                    fail("%s: unexpected TypeError: %s" % (name, exc))
            except Exception as exc:  # noqa: BLE001
                fail("%s: client.%s.%s raised %s: %s" % (name, group, method, type(exc).__name__, exc))
            else:
                fail("%s: expected the known TypeError from client.%s.%s, but it returned"
                     % (name, group, method))
            sent_body = copy.deepcopy(body)
            try:
                send_update_recurring_past_bug(api, sent_body)
            except Exception as exc:  # noqa: BLE001
                fail("%s: sending past the bug raised %s: %s" % (name, type(exc).__name__, exc))
        else:
            try:
                result = getattr(api, method)(sent_body)
            except Exception as exc:  # noqa: BLE001
                fail("%s: client.%s.%s raised %s: %s" % (name, group, method, type(exc).__name__, exc))
            if not result.is_success() or result.body.get("ret_code") != "000100":
                fail("%s: unexpected response %r" % (name, result.body))

        got = capture.take()
        if not got:
            fail("%s: client.%s.%s sent nothing" % (name, group, method))
        if len(got) != 1:
            fail("%s: client.%s.%s sent %d requests" % (name, group, method, len(got)))
        req = got[0]
        parsed = urllib.parse.urlsplit(req["target"])
        path = parsed.path + ("?" + parsed.query if parsed.query else "")
        if path != want_path:
            fail("%s: sent to %s, expected %s" % (name, path, want_path))
        if req["chunked"]:
            fail("%s: body was chunked" % name)
        try:
            body_text = req["body"].decode("utf-8")
            params, non_string, nulls = decode_params(req["body"], req["content_type"])
        except (UnicodeDecodeError, ValueError) as exc:
            fail("%s: cannot decode body %r: %s" % (name, req["body"], exc))
        for key in ("merchantNo", "storeNo", "verifySign"):
            if key not in params:
                fail("%s: %s not sent" % (name, key))
        # The SDK signs str(value) and skips None values; our only non-string values are ints,
        # whose JSON text equals str(value).
        if params["verifySign"] != expected_sign(params, set(nulls)):
            fail("%s: verifySign %s does not match the documented algorithm"
                 % (name, params["verifySign"]))

        records[name] = {
            "sdk": SDK_LABEL,
            "call": "%s.%s" % (group, method),
            "method": req["method"],
            "path": path,
            "content_type": req["content_type"],
            "body": body_text,
            "params": params,
            "non_string_values": non_string,
            "sdk_bug": sdk_bug,
        }

    client.config.http_client.session.close()
    server.shutdown()
    server.server_close()

    os.makedirs(args.out, exist_ok=True)
    # Drop stale recordings of ours (calls renamed or removed), never other files.
    for fname in os.listdir(args.out):
        full = os.path.join(args.out, fname)
        if fname.endswith(".json") and fname[:-5] not in records:
            try:
                with open(full, encoding="utf-8") as fh:
                    if json.load(fh).get("sdk") == SDK_LABEL:
                        os.remove(full)
            except (OSError, ValueError, AttributeError):
                pass
    for name, rec in records.items():
        with open(os.path.join(args.out, name + ".json"), "w", encoding="utf-8", newline="\n") as fh:
            json.dump(rec, fh, indent=2, sort_keys=True, ensure_ascii=False)
            fh.write("\n")
    print("recorded %d calls into %s" % (len(records), args.out))


if __name__ == "__main__":
    main()
