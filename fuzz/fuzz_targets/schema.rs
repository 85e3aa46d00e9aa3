//! The table-schema parsers codegen runs at compile time, on YAML and
//! CloudFormation text: every outcome is a schema or a list of errors.
#![no_main]

use dynamo_lambda_codegen::schema::{parse_cloudformation, parse_yaml};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    if let Err(errors) = parse_yaml(text) {
        assert!(!errors.is_empty());
    }
    for resource in ["UsersTable", "Table"] {
        if let Err(errors) = parse_cloudformation(text, resource) {
            assert!(!errors.is_empty());
        }
    }
});
