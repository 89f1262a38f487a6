// The mongo service's health check (mongosh, as the root user). The first
// time, the replica set does not exist yet: initiate it, with the member
// named as the bot reaches it (mongo:27017). Healthy once this member is
// the primary.
try {
  rs.status();
} catch (e) {
  if (e.codeName !== 'NotYetInitialized') throw e;
  rs.initiate({ _id: 'rs0', members: [{ _id: 0, host: 'mongo:27017' }] });
}
if (!db.hello().isWritablePrimary) quit(1);
