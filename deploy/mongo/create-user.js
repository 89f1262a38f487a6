// The user the bot logs in as: read and write on its own database, nothing
// else. The mongo image runs this once, when it starts on an empty volume;
// a password changed later in deploy/.env must also be changed in MongoDB
// (db.changeUserPassword).
db.getSiblingDB('admin').createUser({
  user: 'fieldlog',
  pwd: process.env.FIELDLOG_MONGO_PASSWORD,
  roles: [{ role: 'readWrite', db: 'fieldlog' }],
});
