//! Decoding opaque cursor tokens of a table and of its indexes: no panic, and
//! a token that decodes encodes again to one that decodes to the same cursor.
#![no_main]

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use dynamo_lambda::{Cursor, IndexKey};
use libfuzzer_sys::fuzz_target;
use orders_example::{OrderByStatusKey, OrderByTotalKey, OrderKey};
use users_example::UserKey;

fn check<K>(token: &str)
where
    K: IndexKey + PartialEq + std::fmt::Debug,
{
    if let Ok(cursor) = Cursor::<K>::from_token(token) {
        let again = Cursor::<K>::from_token(&cursor.to_token()).expect("a cursor's own token");
        assert_eq!(again, cursor);
    }
}

fuzz_target!(|data: &[u8]| {
    // The first byte chooses: the token as given, or the JSON inside it.
    let Some((&mode, rest)) = data.split_first() else {
        return;
    };
    let Ok(text) = std::str::from_utf8(rest) else {
        return;
    };
    let token = if mode % 2 == 0 {
        text.to_owned()
    } else {
        URL_SAFE_NO_PAD.encode(text)
    };
    check::<OrderKey>(&token);
    check::<OrderByStatusKey>(&token);
    check::<OrderByTotalKey>(&token);
    check::<UserKey>(&token);
});
