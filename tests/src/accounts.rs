//! Accounts and sessions for tests: the bootstrapped admin logged in, and accounts of any role
//! made straight in the database (with a password hashed once per test binary).

use std::sync::LazyLock;

use actix_web::http::Method;
use chrono::Utc;
use domain::{DisplayName, EmailAddress, Role};
use persistence::accounts::{self, NewAccount};
use serde_json::json;
use uuid::Uuid;

use crate::app::{Reply, TestApp};

/// The password every test account gets.
pub const PASSWORD: &str = "laulan aina aamulla";

static PASSWORD_HASH: LazyLock<String> =
    LazyLock::new(|| api::auth::passwords::hash_blocking(PASSWORD).expect("hashing works"));

/// A logged-in account: its id, email and token pair.
#[derive(Debug, Clone)]
pub struct Session {
    pub account_id: Uuid,
    pub email: String,
    pub access_token: String,
    pub refresh_token: String,
}

impl Session {
    fn from_reply(reply: &Reply, account_id: Uuid, email: &str) -> Self {
        assert_eq!(reply.status, 200, "login failed: {}", reply.text());
        let body = reply.json();
        Self {
            account_id,
            email: email.to_owned(),
            access_token: body["access_token"].as_str().unwrap().to_owned(),
            refresh_token: body["refresh_token"].as_str().unwrap().to_owned(),
        }
    }
}

impl TestApp {
    pub async fn login(&self, email: &str, password: &str) -> Reply {
        self.post_json(
            "/api/v1/auth/login",
            None,
            &json!({"email": email, "password": password}),
        )
        .await
    }

    /// Logs the bootstrapped admin in: the first time with its one-time password (setting
    /// [`PASSWORD`]), afterwards with [`PASSWORD`].
    pub async fn admin_session(&self) -> Session {
        let email = self.admin.email.as_str().to_owned();
        let again = self.login(&email, PASSWORD).await;
        if again.status == 200 {
            let token = again.json()["access_token"].as_str().unwrap().to_owned();
            let id = self.me(&token).await["id"]
                .as_str()
                .unwrap()
                .parse()
                .unwrap();
            return Session::from_reply(&again, id, &email);
        }
        let first = self.login(&email, &self.admin.one_time_password).await;
        assert_eq!(first.status, 200, "{}", first.text());
        assert_eq!(first.json()["must_change_password"], true);
        let token = first.json()["access_token"].as_str().unwrap().to_owned();
        let body =
            json!({"current_password": self.admin.one_time_password, "new_password": PASSWORD});
        let changed = self
            .post_json("/api/v1/auth/password", Some(&token), &body)
            .await;
        assert_eq!(changed.status, 200, "{}", changed.text());
        // The password change ended the first session; the new one is the answer's.
        let token = changed.json()["access_token"].as_str().unwrap().to_owned();
        let id = self.me(&token).await["id"]
            .as_str()
            .unwrap()
            .parse()
            .unwrap();
        Session::from_reply(&changed, id, &email)
    }

    /// Makes an active account of `role` with [`PASSWORD`] and logs it in.
    pub async fn session_as(&self, role: Role) -> Session {
        let email = format!("{}.{}@example.fi", role.as_str(), Uuid::new_v4().simple());
        let id = self.create_account(role, &email);
        let reply = self.login(&email, PASSWORD).await;
        Session::from_reply(&reply, id, &email)
    }

    /// Inserts an account with [`PASSWORD`] directly in the database.
    pub fn create_account(&self, role: Role, email: &str) -> Uuid {
        let mut conn = self.pool.get().unwrap();
        let new = NewAccount {
            email: EmailAddress::parse(email).unwrap(),
            display_name: DisplayName::parse("Testi Henkilö").unwrap(),
            role,
        };
        let account = accounts::insert(&mut conn, &new, Utc::now()).unwrap();
        accounts::set_password(&mut conn, account.id, &PASSWORD_HASH, None, Utc::now()).unwrap();
        account.id
    }

    /// Creates a customer through the API (with `extra` fields merged in), gives them a login
    /// with a one-time password, changes it to [`PASSWORD`], and returns (customer id, token).
    pub async fn customer_with_login(
        &self,
        office: &str,
        email: &str,
        extra: serde_json::Value,
    ) -> (String, String) {
        let mut body = json!({"first_name": "Testi", "last_name": "Asiakas", "email": email});
        if let (Some(body), Some(extra)) = (body.as_object_mut(), extra.as_object()) {
            body.extend(extra.clone());
        }
        let created = self
            .post_json("/api/v1/customers", Some(office), &body)
            .await;
        assert_eq!(created.status, 201, "{}", created.text());
        let id = created.json()["id"].as_str().unwrap().to_owned();
        let path = format!("/api/v1/customers/{id}/one-time-password");
        let issued = Self::send(self.authed(Method::POST, &path, office), None)
            .await
            .json();
        let otp = issued["one_time_password"].as_str().unwrap().to_owned();
        let limited = self.login(email, &otp).await.json()["access_token"]
            .as_str()
            .unwrap()
            .to_owned();
        let change = json!({"current_password": otp, "new_password": PASSWORD});
        let session = self
            .post_json("/api/v1/auth/password", Some(&limited), &change)
            .await;
        assert_eq!(session.status, 200, "{}", session.text());
        (
            id,
            session.json()["access_token"].as_str().unwrap().to_owned(),
        )
    }

    /// Creates a staff member through the API and returns its id.
    pub async fn create_staff(&self, admin_token: &str, email: &str, role: &str) -> String {
        let body = json!({"email": email, "display_name": "Testi Henkilö", "role": role});
        let reply = self
            .post_json("/api/v1/staff", Some(admin_token), &body)
            .await;
        assert_eq!(reply.status, 201, "{}", reply.text());
        reply.json()["id"].as_str().unwrap().to_owned()
    }

    pub async fn me(&self, token: &str) -> serde_json::Value {
        let reply = self.get_as("/api/v1/auth/me", token).await;
        assert_eq!(reply.status, 200, "{}", reply.text());
        reply.json()
    }

    pub async fn refresh(&self, refresh_token: &str) -> Reply {
        self.post_json(
            "/api/v1/auth/refresh",
            None,
            &json!({"refresh_token": refresh_token}),
        )
        .await
    }

    pub async fn delete_as(&self, path: &str, token: &str) -> Reply {
        Self::send(self.authed(Method::DELETE, path, token), None).await
    }
}
