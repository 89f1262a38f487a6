# want: WORKDIR before the first FROM (only ARG may come before it)
# want: the file ends in a line continuation
ARG GO_VERSION=1.26
WORKDIR /src
FROM golang:${GO_VERSION} AS build
RUN go build -o /out/app . \
