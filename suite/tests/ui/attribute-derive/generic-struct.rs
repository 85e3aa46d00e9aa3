use dynamo_lambda::Attribute;

#[derive(Attribute)]
pub struct Wrapper<T> {
    pub value: T,
}

fn main() {}
