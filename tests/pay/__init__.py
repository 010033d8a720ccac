# Pay, end to end through Razorpay's official Python SDK (razorpay==2.0.1), run by
# tests/e2e/pay-sdk.test.mjs against a real `wrangler dev` at DOZEN_BASE_URL.
