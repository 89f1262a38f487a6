# want: the final stage has no USER
# want: COPY --from=final copies from its own stage
# want: stage name "build" used twice
FROM golang:1.26 AS build
FROM golang:1.26 AS build
FROM scratch AS final
COPY --from=final /a /b
ENTRYPOINT ["/b"]
