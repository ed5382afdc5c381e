//! Every enumeration: known values round-trip through their wire text, unknown ones verbatim.

use pockyt_types::*;
use proptest::prelude::*;

macro_rules! enum_properties {
    ($($name:ident => $test:ident),* $(,)?) => {$(
        proptest! {
            #[test]
            fn $test(text in any::<String>()) {
                let value = $name::from(text.as_str());
                prop_assert_eq!(value.as_str(), text.as_str());
                let json = serde_json::to_string(&value).unwrap();
                let back: $name = serde_json::from_str(&json).unwrap();
                prop_assert_eq!(&back, &value);
                prop_assert_eq!(matches!(value, $name::Unknown(_)), !$name::KNOWN.iter().any(|k| k.as_str() == text));
            }
        }
    )*};
}

enum_properties! {
    Vendor => vendor_round_trips,
    Terminal => terminal_round_trips,
    Currency => currency_round_trips,
    SettleCurrency => settle_currency_round_trips,
    TransactionStatus => transaction_status_round_trips,
    TransactionType => transaction_type_round_trips,
    CreditType => credit_type_round_trips,
    OsType => os_type_round_trips,
    PaymentMethod => payment_method_round_trips,
    GrantType => grant_type_round_trips,
    PayeeAccountType => payee_account_type_round_trips,
    PayoutStatus => payout_status_round_trips,
    ProfileType => profile_type_round_trips,
    RecurringStatus => recurring_status_round_trips,
    RetCode => ret_code_round_trips,
}

#[test]
fn known_values_are_distinct_and_named() {
    for known in Vendor::KNOWN {
        assert_eq!(&Vendor::from(known.as_str()), known);
        assert!(!matches!(known, Vendor::Unknown(_)));
    }
    for known in Terminal::KNOWN {
        assert_eq!(&Terminal::from(known.as_str()), known);
        assert!(!matches!(known, Terminal::Unknown(_)));
    }
    for known in Currency::KNOWN {
        assert_eq!(&Currency::from(known.as_str()), known);
        assert!(!matches!(known, Currency::Unknown(_)));
    }
    for known in SettleCurrency::KNOWN {
        assert_eq!(&SettleCurrency::from(known.as_str()), known);
        assert!(!matches!(known, SettleCurrency::Unknown(_)));
    }
    for known in TransactionStatus::KNOWN {
        assert_eq!(&TransactionStatus::from(known.as_str()), known);
        assert!(!matches!(known, TransactionStatus::Unknown(_)));
    }
    for known in TransactionType::KNOWN {
        assert_eq!(&TransactionType::from(known.as_str()), known);
        assert!(!matches!(known, TransactionType::Unknown(_)));
    }
    for known in CreditType::KNOWN {
        assert_eq!(&CreditType::from(known.as_str()), known);
        assert!(!matches!(known, CreditType::Unknown(_)));
    }
    for known in OsType::KNOWN {
        assert_eq!(&OsType::from(known.as_str()), known);
        assert!(!matches!(known, OsType::Unknown(_)));
    }
    for known in PaymentMethod::KNOWN {
        assert_eq!(&PaymentMethod::from(known.as_str()), known);
        assert!(!matches!(known, PaymentMethod::Unknown(_)));
    }
    for known in GrantType::KNOWN {
        assert_eq!(&GrantType::from(known.as_str()), known);
        assert!(!matches!(known, GrantType::Unknown(_)));
    }
    for known in PayeeAccountType::KNOWN {
        assert_eq!(&PayeeAccountType::from(known.as_str()), known);
        assert!(!matches!(known, PayeeAccountType::Unknown(_)));
    }
    for known in PayoutStatus::KNOWN {
        assert_eq!(&PayoutStatus::from(known.as_str()), known);
        assert!(!matches!(known, PayoutStatus::Unknown(_)));
    }
    for known in ProfileType::KNOWN {
        assert_eq!(&ProfileType::from(known.as_str()), known);
        assert!(!matches!(known, ProfileType::Unknown(_)));
    }
    for known in RecurringStatus::KNOWN {
        assert_eq!(&RecurringStatus::from(known.as_str()), known);
        assert!(!matches!(known, RecurringStatus::Unknown(_)));
    }
    for known in RetCode::KNOWN {
        assert_eq!(&RetCode::from(known.as_str()), known);
        assert!(!matches!(known, RetCode::Unknown(_)));
    }
}
