use dynamo_lambda::dynamo_lambda;

mod hex_colour {
    use dynamo_lambda::{AttributeError, AttributeValue};

    pub fn to_attribute_value(value: &u32) -> Result<Option<AttributeValue>, AttributeError> {
        Ok(Some(AttributeValue::S(format!("#{value:06x}"))))
    }

    pub fn from_attribute_value(_: Option<AttributeValue>) -> Result<u32, AttributeError> {
        Err(AttributeError::missing())
    }
}

#[dynamo_lambda(table = "Users", partition_key = "id")]
pub struct User {
    pub id: String,
    #[dynamo(with = "hex_colour")]
    pub colour: String,
}

fn main() {}
