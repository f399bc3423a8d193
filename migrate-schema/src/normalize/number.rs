//! Numeric literals in canonical form.

/// A number without redundant spelling: `+1.50` and `1.5e0` are `1.5`, `007` is `7`, `-0` is
/// `0`. `None` if `s` is not a number.
pub(crate) fn canonical_number(s: &str) -> Option<String> {
    let s = s.trim();
    let (neg, body) = match s.strip_prefix('-') {
        Some(b) => (true, b),
        None => (false, s.strip_prefix('+').unwrap_or(s)),
    };
    let (mant, exp) = match body.find(['e', 'E']) {
        Some(p) => (&body[..p], body[p + 1..].parse::<i64>().ok()?),
        None => (body, 0),
    };
    let (int, frac) = match mant.split_once('.') {
        Some((a, b)) => (a, b),
        None => (mant, ""),
    };
    if (int.is_empty() && frac.is_empty())
        || !int.chars().all(|c| c.is_ascii_digit())
        || !frac.chars().all(|c| c.is_ascii_digit())
    {
        return None;
    }
    let mut digits: String = format!("{int}{frac}");
    let mut exp = exp - i64::try_from(frac.len()).ok()?;
    let lead = digits.len() - digits.trim_start_matches('0').len();
    digits.drain(..lead);
    while digits.ends_with('0') {
        digits.pop();
        exp += 1;
    }
    if digits.is_empty() {
        return Some("0".to_owned());
    }
    let sign = if neg { "-" } else { "" };
    let len = i64::try_from(digits.len()).ok()?;
    Some(if exp >= 0 {
        if exp > 40 {
            format!("{sign}{digits}e{exp}")
        } else {
            format!("{sign}{digits}{}", "0".repeat(usize::try_from(exp).ok()?))
        }
    } else if -exp < len {
        let point = usize::try_from(len + exp).ok()?;
        format!("{sign}{}.{}", &digits[..point], &digits[point..])
    } else if -exp - len > 40 {
        format!("{sign}{digits}e{exp}")
    } else {
        let zeros = usize::try_from(-exp - len).ok()?;
        format!("{sign}0.{}{digits}", "0".repeat(zeros))
    })
}

#[cfg(test)]
mod tests {
    use super::canonical_number as n;

    #[test]
    fn spellings_of_one_number_agree() {
        for s in ["1.5", "1.50", "+1.5", "15e-1", "0.15E1", "001.5"] {
            assert_eq!(n(s).as_deref(), Some("1.5"), "{s}");
        }
        for s in ["0", "-0", "0.0", "000", "0e10", ".0"] {
            assert_eq!(n(s).as_deref(), Some("0"), "{s}");
        }
        assert_eq!(n("1e3").as_deref(), Some("1000"));
        assert_eq!(n("-12.340").as_deref(), Some("-12.34"));
        assert_eq!(n(".5").as_deref(), Some("0.5"));
        assert_eq!(n("0.001").as_deref(), Some("0.001"));
        assert_eq!(n("100").as_deref(), Some("100"));
    }

    #[test]
    fn near_misses_and_non_numbers() {
        assert_ne!(n("1.5"), n("1.05"));
        assert_ne!(n("10"), n("1"));
        assert_ne!(n("-1"), n("1"));
        for s in ["", "abc", "1.2.3", "1e", "--1", "."] {
            assert_eq!(n(s), None, "{s}");
        }
        // Huge exponents stay finite text, never a panic or an allocation storm.
        assert_eq!(n("1e400").as_deref(), Some("1e400"));
        assert_eq!(n("1e-400").as_deref(), Some("1e-400"));
    }
}
