//! Path and query parameters of the API. One that does not parse (an id beyond i64, a word where an id goes)
//! names nothing there is: 404 in the API's JSON error shape, as every other API error, instead of
//! axum's plain-text 400.

use axum::extract::{FromRequestParts, Path, Query};
use axum::http::request::Parts;
use serde::de::DeserializeOwned;

use super::ApiError;

pub struct ApiPath<T>(pub T);

impl<T, S> FromRequestParts<S> for ApiPath<T>
where
    T: DeserializeOwned + Send,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        match Path::<T>::from_request_parts(parts, state).await {
            Ok(Path(value)) => Ok(ApiPath(value)),
            Err(_) => Err(ApiError::NotFound),
        }
    }
}

/// Query parameters of the API. A query that does not deserialize (a parameter given twice, say) is a
/// 422 naming the parameters, in the API's JSON error shape, instead of axum's plain-text 400.
pub struct ApiQuery<T>(pub T);

impl<T, S> FromRequestParts<S> for ApiQuery<T>
where
    T: DeserializeOwned + Send,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        match Query::<T>::from_request_parts(parts, state).await {
            Ok(Query(value)) => Ok(ApiQuery(value)),
            Err(_) => {
                Err(ApiError::Invalid(vec![("query", "Hver parameter må kun gives én gang og som tekst.".into())]))
            }
        }
    }
}
