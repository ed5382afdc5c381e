//! Customers, payees and payouts:
//! - a customer (or v3 payee) keeps the profile fields received; its `customerCode` is unique per
//!   store of a merchant, and only that store sees it;
//! - a funding account belongs to one customer of one store and is addressed by its
//!   `accountToken`; only its owner can read or delete it;
//! - a payout needs an account of the named customer, an `invoiceId` unique per store of a
//!   merchant, and a balance that covers it; the balance (an opening balance per currency, less
//!   every payout) is read and spent under one lock, so two payouts cannot spend it twice;
//! - a bank account or a payout with an `ipnUrl` is followed by its webhook.

use std::collections::HashMap;

use pockyt_types::{Amount, Currency};

use super::books::{Ledger, normalized};
use super::records::Records;
use super::refusal::Refusal;
use crate::config::Merchant;
use crate::state::{CustomerRecord, PayeeAccount, Payout, PayoutKey};

/// Fields by wire name: a profile, or an account's.
pub(crate) type Fields = HashMap<String, String>;

/// One funding account as its answers show it.
#[derive(Debug)]
pub(crate) struct AccountView {
    pub(crate) token: String,
    /// The account's fields.
    pub(crate) fields: Fields,
    /// The payee's name, e-mail, code and type.
    pub(crate) payee: Vec<(String, String)>,
}

/// A customer's funding accounts, in token order, and its profile.
#[derive(Debug)]
pub(crate) struct FundingAccounts {
    pub(crate) accounts: Vec<(String, Fields)>,
    pub(crate) profile: Fields,
}

/// A payee's PayPal, Venmo or wallet account to add.
#[derive(Debug)]
pub(crate) struct PayeeAccountSpec {
    pub(crate) customer_no: String,
    /// `accountTag`, `accountType`, and what else the request gave, by wire name.
    pub(crate) fields: Fields,
}

/// A payee's bank account to add.
#[derive(Debug)]
pub(crate) struct BankAccount {
    pub(crate) customer_no: String,
    /// `accountType`, `country`, `currency`, `accountTag`, ... by wire name.
    pub(crate) fields: Fields,
    /// Where the account's activation is announced.
    pub(crate) ipn_url: Option<String>,
    /// The account number, shown masked in the notice.
    pub(crate) bank_account_id: Option<String>,
}

/// A payout asked for.
#[derive(Debug)]
pub(crate) struct PayoutOrder {
    pub(crate) invoice_id: String,
    pub(crate) customer_no: String,
    pub(crate) account_token: String,
    pub(crate) amount: Amount,
    pub(crate) currency: Currency,
    pub(crate) ipn_url: Option<String>,
}

/// The payee's name, e-mail, code and type, as an account's answers show them.
fn payee_profile(records: &Records, customer_no: &str) -> Vec<(String, String)> {
    let Some(customer) = records.customers.get(customer_no) else {
        return Vec::new();
    };
    [
        "firstName",
        "lastName",
        "email",
        "customerCode",
        "profileType",
    ]
    .into_iter()
    .filter_map(|name| Some((name.to_owned(), customer.profile.get(name)?.clone())))
    .collect()
}

/// The profile of a customer of `owner`'s.
fn profile_of(records: &Records, owner: &Merchant, customer_no: &str) -> Result<Fields, Refusal> {
    records
        .customers
        .get(customer_no)
        .filter(|c| owner.owns(&c.merchant_no, &c.store_no))
        .map(|c| c.profile.clone())
        .ok_or(Refusal::NoCustomerNo)
}

impl Ledger {
    /// Records a customer (or v3 payee) with the profile fields received; returns its profile,
    /// with its new `customerNo`.
    pub(crate) fn add_customer(
        &self,
        owner: &Merchant,
        mut profile: Fields,
    ) -> Result<Fields, Refusal> {
        let mut records = self.lock();
        if let Some(code) = profile.get("customerCode") {
            let taken = records.customers.values().any(|c| {
                owner.owns(&c.merchant_no, &c.store_no)
                    && c.profile.get("customerCode") == Some(code)
            });
            if taken {
                return Err(Refusal::Taken {
                    field: "customerCode",
                    value: code.clone(),
                });
            }
        }
        let number = records.next_customer_no();
        profile.insert("customerNo".into(), number.clone());
        let now = crate::clock::iso_utc(self.now());
        profile.insert("createdTime".into(), now.clone());
        profile.insert("updatedTime".into(), now);
        records.customers.insert(
            number,
            CustomerRecord {
                merchant_no: owner.merchant_no.clone(),
                store_no: owner.store_no.clone(),
                profile: profile.clone(),
            },
        );
        Ok(profile)
    }

    /// A customer of `owner`'s by number or code: its profile.
    pub(crate) fn customer(
        &self,
        owner: &Merchant,
        customer_no: Option<&str>,
        customer_code: Option<&str>,
    ) -> Result<Fields, Refusal> {
        let records = self.lock();
        records
            .customers
            .iter()
            .find(|(number, c)| {
                owner.owns(&c.merchant_no, &c.store_no)
                    && (customer_no == Some(number.as_str())
                        || (customer_code.is_some()
                            && c.profile.get("customerCode").map(String::as_str) == customer_code))
            })
            .map(|(_, c)| c.profile.clone())
            .ok_or(Refusal::NoCustomer)
    }

    /// Updates a customer's profile with the fields received; returns the whole profile.
    pub(crate) fn update_customer(
        &self,
        owner: &Merchant,
        customer_no: &str,
        fields: Fields,
    ) -> Result<Fields, Refusal> {
        let mut records = self.lock();
        let CustomerRecord { profile, .. } = records
            .customers
            .get_mut(customer_no)
            .filter(|c| owner.owns(&c.merchant_no, &c.store_no))
            .ok_or(Refusal::NoCustomer)?;
        profile.extend(fields);
        profile.insert("updatedTime".into(), crate::clock::iso_utc(self.now()));
        Ok(profile.clone())
    }

    /// Adds a funding account to a customer of `owner`'s: its new token, the account's fields,
    /// and the payee's profile as an answer shows it.
    pub(crate) fn add_payee_account(
        &self,
        owner: &Merchant,
        spec: PayeeAccountSpec,
    ) -> Result<AccountView, Refusal> {
        let mut records = self.lock();
        let known = records
            .customers
            .get(&spec.customer_no)
            .is_some_and(|c| owner.owns(&c.merchant_no, &c.store_no));
        if !known {
            return Err(Refusal::NoCustomerNo);
        }
        let token = format!("acct_{}", records.next_number());
        let profile = payee_profile(&records, &spec.customer_no);
        records.payee_accounts.insert(
            token.clone(),
            PayeeAccount {
                merchant_no: owner.merchant_no.clone(),
                store_no: owner.store_no.clone(),
                customer_no: spec.customer_no,
                fields: spec.fields.clone(),
            },
        );
        Ok(AccountView {
            token,
            fields: spec.fields,
            payee: profile,
        })
    }

    /// Adds a bank account to a customer of `owner`'s, activated at once, and announces it at
    /// `ipn_url`: its new token and the customer's profile.
    pub(crate) fn add_bank_account(
        &self,
        owner: &Merchant,
        account: BankAccount,
    ) -> Result<(String, Fields), Refusal> {
        let (token, profile) = {
            let mut records = self.lock();
            let profile = profile_of(&records, owner, &account.customer_no)?;
            let token = format!("acct_{}", records.next_number());
            records.payee_accounts.insert(
                token.clone(),
                PayeeAccount {
                    merchant_no: owner.merchant_no.clone(),
                    store_no: owner.store_no.clone(),
                    customer_no: account.customer_no.clone(),
                    fields: account.fields.clone(),
                },
            );
            (token, profile)
        };
        if let Some(url) = &account.ipn_url {
            let masked = account
                .bank_account_id
                .as_deref()
                .map(|id| format!("****{}", id.get(id.len().saturating_sub(4)..).unwrap_or("")))
                .unwrap_or_default();
            let field = |name: &str| account.fields.get(name).map(String::as_str).unwrap_or("");
            let mut pairs = vec![
                ("accountStatus", "ACTIVATED"),
                ("accountToken", token.as_str()),
                ("accountType", field("accountType")),
                ("country", field("country")),
                ("customerNo", account.customer_no.as_str()),
                ("currency", field("currency")),
            ];
            if let Some(tag) = account.fields.get("accountTag") {
                pairs.push(("accountTag", tag));
            }
            if !masked.is_empty() {
                pairs.push(("payeeAccount", masked.as_str()));
            }
            self.notify_other(owner, url, (&token, "ACTIVATED"), pairs);
        }
        Ok((token, profile))
    }

    /// The funding accounts of a customer of `owner`'s that match the token and tag given (all,
    /// without either), in token order, with the customer's profile.
    pub(crate) fn payee_accounts(
        &self,
        owner: &Merchant,
        customer_no: &str,
        token: Option<&str>,
        tag: Option<&str>,
    ) -> Result<FundingAccounts, Refusal> {
        let records = self.lock();
        let profile = profile_of(&records, owner, customer_no)?;
        let accounts = records
            .payee_accounts
            .iter()
            .filter(|(t, a)| {
                a.is_owned_by(owner, customer_no)
                    && token.is_none_or(|token| token == t.as_str())
                    && tag.is_none_or(|tag| {
                        a.fields.get("accountTag").map(String::as_str) == Some(tag)
                    })
            })
            .map(|(t, a)| (t.clone(), a.fields.clone()))
            .collect();
        Ok(FundingAccounts { accounts, profile })
    }

    /// One funding account of a customer of `owner`'s, by token or tag: its token, its fields
    /// and the payee's profile.
    pub(crate) fn payee_account(
        &self,
        owner: &Merchant,
        customer_no: &str,
        token: Option<&str>,
        tag: Option<&str>,
    ) -> Result<AccountView, Refusal> {
        let records = self.lock();
        let (token, account) = records
            .payee_accounts
            .iter()
            .find(|(t, a)| {
                a.is_owned_by(owner, customer_no)
                    && (token == Some(t.as_str())
                        || tag == a.fields.get("accountTag").map(String::as_str))
            })
            .ok_or(Refusal::NoAccount)?;
        Ok(AccountView {
            token: token.clone(),
            fields: account.fields.clone(),
            payee: payee_profile(&records, &account.customer_no),
        })
    }

    /// Deletes a funding account of a customer of `owner`'s.
    pub(crate) fn delete_payee_account(
        &self,
        owner: &Merchant,
        customer_no: &str,
        token: &str,
    ) -> Result<(), Refusal> {
        let mut records = self.lock();
        let owned = records
            .payee_accounts
            .get(token)
            .is_some_and(|a| a.is_owned_by(owner, customer_no));
        if !owned {
            return Err(Refusal::NoAccountOfCustomer);
        }
        records.payee_accounts.remove(token);
        Ok(())
    }

    /// A store's payout balance in `currency`: the opening balance minus its payouts in it.
    pub(crate) fn balance(&self, owner: &Merchant, currency: &Currency) -> Amount {
        self.balance_in(&self.lock(), owner, currency)
    }

    fn balance_in(&self, records: &Records, owner: &Merchant, currency: &Currency) -> Amount {
        records
            .payouts
            .iter()
            .filter(|(key, p)| {
                owner.owns(&key.merchant_no, &key.store_no) && p.currency == *currency
            })
            .try_fold(self.opening_balance.clone(), |left, (_, p)| {
                left.checked_sub(&p.amount)
            })
            .unwrap_or_else(Amount::zero)
    }

    /// Pays a payee's account from the store's balance, and announces it at the order's
    /// `ipnUrl`.
    pub(crate) fn pay_out(&self, owner: &Merchant, order: PayoutOrder) -> Result<Payout, Refusal> {
        let payout = {
            let mut records = self.lock();
            // Read under the same lock as the insert, so two payouts cannot both spend one balance.
            let balance = self.balance_in(&records, owner, &order.currency);
            let key = PayoutKey::new(owner, order.invoice_id.clone());
            if records.payouts.contains_key(&key) {
                return Err(Refusal::Taken {
                    field: "invoiceId",
                    value: order.invoice_id,
                });
            }
            let account_ok = records
                .payee_accounts
                .get(&order.account_token)
                .is_some_and(|a| a.is_owned_by(owner, &order.customer_no));
            if !account_ok {
                return Err(Refusal::NoAccountOfCustomer);
            }
            if order.amount > balance {
                return Err(Refusal::InsufficientBalance);
            }
            let payout = Payout {
                transaction_no: records.next_number(),
                invoice_id: order.invoice_id,
                customer_no: order.customer_no,
                account_token: order.account_token,
                amount: normalized(order.amount, &order.currency),
                currency: order.currency,
                created_at: self.now(),
            };
            records.payouts.insert(key, payout.clone());
            payout
        };
        if let Some(url) = &order.ipn_url {
            // The payout webhook (docs.pockyt `payouts-apis/errors-and-status-codes`).
            let (amount, currency) = (payout.amount.to_string(), payout.currency.to_string());
            let time = crate::clock::iso_utc(payout.created_at);
            let pairs = vec![
                ("accountToken", payout.account_token.as_str()),
                ("amount", amount.as_str()),
                ("currency", currency.as_str()),
                ("invoiceId", payout.invoice_id.as_str()),
                ("paymentTime", time.as_str()),
                ("status", "success"),
                ("transactionNo", payout.transaction_no.as_str()),
            ];
            self.notify_other(owner, url, (&payout.transaction_no, "success"), pairs);
        }
        Ok(payout)
    }

    /// A payout of `owner`'s by its `invoiceId`.
    pub(crate) fn payout(&self, owner: &Merchant, invoice_id: String) -> Result<Payout, Refusal> {
        self.lock()
            .payouts
            .get(&PayoutKey::new(owner, invoice_id))
            .cloned()
            .ok_or(Refusal::NoInvoice)
    }
}
