"""Function views of the fake Twilio Conversations v1 API, one module per resource."""
