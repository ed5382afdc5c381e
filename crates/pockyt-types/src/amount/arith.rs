//! Arithmetic and comparison by value: `12.5 == 12.50`, and sums never rounded.

use std::cmp::Ordering;
use std::hash::{Hash, Hasher};

use super::Amount;

impl Amount {
    /// Exact sum, or `None` when it exceeds 18 digits.
    ///
    /// The result has the larger of the two scales and canonical text:
    /// `"12.50" + "0.5"` is `"13.00"`.
    pub fn checked_add(&self, other: &Amount) -> Option<Amount> {
        self.combine(other, i128::checked_add)
    }

    /// Exact difference, or `None` when it exceeds 18 digits.
    ///
    /// The result has the larger of the two scales and canonical text:
    /// `"12.50" - "0.5"` is `"12.00"`.
    pub fn checked_sub(&self, other: &Amount) -> Option<Amount> {
        self.combine(other, i128::checked_sub)
    }

    /// Applies `op` to both mantissas brought to the larger scale.
    fn combine(&self, other: &Amount, op: fn(i128, i128) -> Option<i128>) -> Option<Amount> {
        let scale = self.scale.max(other.scale);
        let sum = op(self.scaled_to(scale)?, other.scaled_to(scale)?)?;
        Amount::from_parts(i64::try_from(sum).ok()?, scale).ok()
    }

    /// The mantissa expressed at `scale` (which must not be smaller).
    /// Cannot overflow: |mantissa| < 10^18 and the factor is at most 10^9.
    pub(super) fn scaled_to(&self, scale: u8) -> Option<i128> {
        let factor = 10i128.checked_pow(u32::from(scale.checked_sub(self.scale)?))?;
        i128::from(self.mantissa).checked_mul(factor)
    }

    /// Value with trailing zeros stripped: equal values give equal pairs.
    fn normalized(&self) -> (i64, u8) {
        let (mut mantissa, mut scale) = (self.mantissa, self.scale);
        while scale > 0 && mantissa % 10 == 0 {
            mantissa /= 10;
            scale -= 1;
        }
        (mantissa, scale)
    }
}

impl PartialEq for Amount {
    fn eq(&self, other: &Amount) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for Amount {}

impl PartialOrd for Amount {
    fn partial_cmp(&self, other: &Amount) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Amount {
    fn cmp(&self, other: &Amount) -> Ordering {
        let scale = self.scale.max(other.scale);
        // The limits keep every scaled mantissa below 10^27, so the first arm
        // always applies; the fallback only has to be a total order that
        // agrees with equality.
        match (self.scaled_to(scale), other.scaled_to(scale)) {
            (Some(left), Some(right)) => left.cmp(&right),
            _ => self.normalized().cmp(&other.normalized()),
        }
    }
}

impl Hash for Amount {
    fn hash<H: Hasher>(&self, state: &mut H) {
        // Must agree with `Eq`: "12.5" and "12.50" hash alike.
        self.normalized().hash(state);
    }
}
