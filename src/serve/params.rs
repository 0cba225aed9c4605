//! The query string of an API request: `name=value` pairs, where a name may repeat
//! (`f=role:leader&f=role:officer`). Unknown names are an error that lists the known ones, so
//! a typo in a script is not silently ignored.
use super::error::ApiError;

pub struct Params {
    pairs: Vec<(String, String)>,
}

impl Params {
    /// Parses `raw` (without the `?`), accepting only the names in `known`.
    pub fn parse(raw: Option<&str>, known: &[&str]) -> Result<Params, ApiError> {
        let pairs: Vec<(String, String)> = form_urlencoded::parse(raw.unwrap_or("").as_bytes())
            .map(|(k, v)| (k.into_owned(), v.into_owned()))
            .collect();
        if let Some((name, _)) = pairs.iter().find(|(k, _)| !known.contains(&k.as_str())) {
            return Err(ApiError::bad(format!(
                "unknown parameter {name:?}; this endpoint takes: {}",
                known.join(", ")
            )));
        }
        Ok(Params { pairs })
    }

    /// Every value of `name`, in order.
    pub fn all<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.pairs
            .iter()
            .filter(move |(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// The value of `name`; an error when it is given more than once. Empty counts as absent.
    pub fn one<'a>(&'a self, name: &'a str) -> Result<Option<&'a str>, ApiError> {
        let mut values = self.all(name).filter(|v| !v.trim().is_empty());
        let first = values.next();
        if values.next().is_some() {
            return Err(ApiError::bad(format!("{name} is given more than once")));
        }
        Ok(first)
    }

    /// A whole number in `0..=max`, or `default`.
    pub fn number(&self, name: &str, default: usize, max: usize) -> Result<usize, ApiError> {
        let Some(text) = self.one(name)? else {
            return Ok(default);
        };
        let value: usize = text
            .trim()
            .parse()
            .map_err(|_| ApiError::bad(format!("{name} must be a whole number, not {text:?}")))?;
        if value > max {
            return Err(ApiError::bad(format!(
                "{name} is at most {max} (asked for {value})"
            )));
        }
        Ok(value)
    }

    /// One of `choices`, or the first of them.
    pub fn choice<'c>(&self, name: &str, choices: &[&'c str]) -> Result<&'c str, ApiError> {
        let Some(text) = self.one(name)? else {
            return Ok(choices[0]);
        };
        choices
            .iter()
            .find(|c| c.eq_ignore_ascii_case(text.trim()))
            .copied()
            .ok_or_else(|| {
                ApiError::bad(format!(
                    "{name} must be one of {}, not {text:?}",
                    choices.join(", ")
                ))
            })
    }

    /// A finite number, if given.
    pub fn float(&self, name: &str) -> Result<Option<f64>, ApiError> {
        let Some(text) = self.one(name)? else {
            return Ok(None);
        };
        text.trim()
            .parse::<f64>()
            .ok()
            .filter(|v| v.is_finite())
            .map(Some)
            .ok_or_else(|| ApiError::bad(format!("{name} must be a number, not {text:?}")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repeated_names_keep_their_order_and_unknown_names_are_refused() {
        let p = Params::parse(
            Some("f=role%3Aleader&q=top+down&f=role:officer"),
            &["f", "q"],
        )
        .unwrap();
        assert_eq!(
            p.all("f").collect::<Vec<_>>(),
            vec!["role:leader", "role:officer"]
        );
        assert_eq!(p.one("q").unwrap(), Some("top down"));
        assert!(p.one("f").is_err());
        let error = Params::parse(Some("qq=x"), &["q"]).err().unwrap();
        assert!(matches!(error, ApiError::BadRequest(m) if m.contains("\"qq\"")));
    }

    #[test]
    fn numbers_are_bounded() {
        let p = Params::parse(Some("limit=500&offset=x"), &["limit", "offset"]).unwrap();
        assert!(p.number("limit", 20, 200).is_err());
        assert!(p.number("offset", 0, 10).is_err());
        assert_eq!(p.number("other", 7, 10).unwrap(), 7);
    }
}
