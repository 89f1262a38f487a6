# A Dockerfile with a fault of each kind the checker looks for; each
# "# want:" line is an error it must be refused with.
# want: unknown instruction "COPPY"
# want: COPY --from=biuld: no stage of that name before this line
# want: CMD starts with [ but is not a JSON array of strings
# want: the final stage runs as root (USER root)
# want: HEALTHCHECK --interval=soon is not a duration
# want: ENTRYPOINT in shell form, but gcr.io/distroless/static-debian12 has no shell
# want: STOPSIGNAL "SIGSTOPP" is not a signal
# want: COPY has no option --form
# want: EXPOSE "http" is not port
FROM golang:1.26 AS build
WORKDIR /src
COPPY . .
RUN go build \
    -o /out/app \
    ./cmd/app

FROM gcr.io/distroless/static-debian12
COPY --from=biuld /out/app /app
COPY --form=build /out/app /app2
EXPOSE http
USER root
HEALTHCHECK --interval=soon CMD ["/app", "health"]
STOPSIGNAL SIGSTOPP
ENTRYPOINT /app
CMD ["serve', "--verbose"]
