-- The same GraphQL POST repeated; the JSON body comes from the bench in BENCH_BODY.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = os.getenv("BENCH_BODY")
