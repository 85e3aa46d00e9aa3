use dynamo_lambda::Attribute;

pub struct Geo {
    pub lat: f64,
    pub lon: f64,
}

#[derive(Attribute)]
pub struct Address {
    pub city: String,
    pub geo: Geo,
}

fn main() {}
