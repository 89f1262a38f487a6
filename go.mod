module fieldlog

go 1.26.8

require (
	github.com/BurntSushi/toml v1.6.0 // indirect
	github.com/FerretDB/FerretDB v1.24.0 // indirect
	github.com/go-telegram/bot v1.19.0 // indirect
	github.com/nicksnyder/go-i18n/v2 v2.7.0 // indirect
	go.mongodb.org/mongo-driver/v2 v2.9.3 // indirect
	gopkg.in/yaml.v3 v3.0.1 // indirect
)
