//! A UniikkiLista subscriber as tests need one: signed up, confirmed, linked to a customer.

use diesel::prelude::*;
use persistence::schema::messages;
use serde_json::{Value, json};

use crate::TestApp;

/// The confirmation the register sent to `recipient` most recently.
fn confirmation_to(app: &TestApp, recipient: &str) -> String {
    messages::table
        .filter(messages::recipient.eq(recipient))
        .filter(messages::purpose.eq("uniikkilista.confirm"))
        .order(messages::created_at.desc())
        .select(messages::body)
        .first(&mut *app.pool.get().unwrap())
        .expect("a confirmation was sent")
}

/// The token of the link in an email confirmation.
pub fn token_in(text: &str) -> String {
    let start = text.find("token=").expect("a token link") + 6;
    text[start..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
        .collect()
}

/// The code in an SMS confirmation (Finnish or English).
pub fn code_in(sms: &str) -> String {
    let start = ["koodisi on ", "code is "]
        .iter()
        .find_map(|marker| sms.find(marker).map(|i| i + marker.len()))
        .expect("a code");
    sms[start..start + 9].to_owned()
}

impl TestApp {
    /// Signs up with the public form `signup`, confirms each channel from the message the
    /// register sent, and links the subscription to `customer` as staff; returns its id.
    pub async fn linked_subscriber(
        &self,
        signup: &Value,
        customer: &str,
        staff_token: &str,
    ) -> String {
        let signed_up = self
            .post_json("/api/v1/uniikkilista/subscriptions", None, signup)
            .await;
        assert_eq!(signed_up.status, 202, "{}", signed_up.text());
        let channels = signup["channels"].as_array().expect("channels");
        let mut codes = Vec::new();
        if let Some(email) = signup["email"].as_str() {
            codes.push(token_in(&confirmation_to(self, email)));
        }
        if let Some(phone) = signup["phone"]
            .as_str()
            .filter(|_| channels.contains(&json!("sms")))
        {
            let e164 = domain::PhoneNumber::parse(phone).expect("a valid phone");
            codes.push(code_in(&confirmation_to(self, e164.as_str())));
        }
        for code in codes {
            let confirmed = self
                .post_json(
                    "/api/v1/uniikkilista/confirm",
                    None,
                    &json!({"token": code}),
                )
                .await;
            assert_eq!(confirmed.status, 200, "{}", confirmed.text());
        }
        let list = self
            .get_as("/api/v1/uniikkilista/subscriptions", staff_token)
            .await
            .json();
        let id = list["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["email"] == signup["email"] && s["name"] == signup["name"])
            .expect("the subscription is listed")["id"]
            .as_str()
            .unwrap()
            .to_owned();
        let linked = self
            .patch_json(
                &format!("/api/v1/uniikkilista/subscriptions/{id}"),
                Some(staff_token),
                &json!({"customer_id": customer}),
            )
            .await;
        assert_eq!(linked.status, 200, "{}", linked.text());
        id
    }
}
