use retry_runtime::fallback;

#[derive(Debug, Clone)]
struct ApiError;

#[derive(Clone)]
struct HttpRequestFactory;

struct Client;

impl Client {
    // Takes the factory by value where the annotated method borrows it.
    async fn backup(&self, factory: HttpRequestFactory, prompt: &str) -> Result<String, ApiError> {
        let _ = factory;
        Ok(prompt.to_owned())
    }

    #[fallback(to = Self::backup)]
    async fn chat(&self, factory: &HttpRequestFactory, prompt: &str) -> Result<String, ApiError> {
        let _ = (factory, prompt);
        Err(ApiError)
    }
}

fn main() {
    let _ = Client.chat(&HttpRequestFactory, "q");
}
