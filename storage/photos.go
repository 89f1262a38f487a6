package storage

import (
	"bytes"
	"context"
	"errors"
	"fmt"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"fieldlog"
)

// Photo files the project stores itself (uploaded on the web page) are
// kept in GridFS, in the bucket photoBucket: photos.files and
// photos.chunks. The embedded server serves GridFS as MongoDB does: it is
// plain inserts and finds on two collections, and the driver creates its
// indexes on the first upload.
const photoBucket = "photos"

// MaxPhotoFile is the largest photo file stored, in bytes: a photo is
// downscaled before it is kept, so this only bounds a mistake.
const MaxPhotoFile = 8 << 20

var _ fieldlog.PhotoFiles = (*Store)(nil)

func (s *Store) photos() *mongo.GridFSBucket {
	return s.db.GridFSBucket(options.GridFSBucket().SetName(photoBucket))
}

// SavePhotoFile stores data as a new file of contentType and returns its
// id.
func (s *Store) SavePhotoFile(ctx context.Context, data []byte, contentType string) (string, error) {
	if len(data) == 0 || len(data) > MaxPhotoFile {
		return "", fmt.Errorf("save photo file: %d bytes, want 1 to %d", len(data), MaxPhotoFile)
	}
	ctx, cancel := s.op(ctx)
	defer cancel()
	id := bson.NewObjectID()
	opts := options.GridFSUpload().SetMetadata(bson.D{{Key: "contentType", Value: contentType}})
	if err := s.photos().UploadFromStreamWithID(ctx, id, id.Hex(), bytes.NewReader(data), opts); err != nil {
		return "", fmt.Errorf("save photo file: %w", err)
	}
	return id.Hex(), nil
}

// DeletePhotoFile removes the file with id, if it is there.
func (s *Store) DeletePhotoFile(ctx context.Context, id string) error {
	oid, err := bson.ObjectIDFromHex(id)
	if err != nil {
		return nil // no id of ours: nothing stored
	}
	ctx, cancel := s.op(ctx)
	defer cancel()
	if err := s.photos().Delete(ctx, oid); err != nil && !errors.Is(err, mongo.ErrFileNotFound) {
		return fmt.Errorf("delete photo file %s: %w", id, err)
	}
	return nil
}

// PhotoFile returns the file with id and its content type, or
// fieldlog.ErrNotFound.
func (s *Store) PhotoFile(ctx context.Context, id string) ([]byte, string, error) {
	oid, err := bson.ObjectIDFromHex(id)
	if err != nil {
		return nil, "", fieldlog.ErrNotFound // no id of ours
	}
	ctx, cancel := s.op(ctx)
	defer cancel()
	var file struct {
		Length   int64 `bson:"length"`
		Metadata struct {
			ContentType string `bson:"contentType"`
		} `bson:"metadata"`
	}
	err = s.photos().GetFilesCollection().FindOne(ctx, bson.D{{Key: "_id", Value: oid}}).Decode(&file)
	if errors.Is(err, mongo.ErrNoDocuments) {
		return nil, "", fieldlog.ErrNotFound
	}
	if err != nil {
		return nil, "", fmt.Errorf("read photo file %s: %w", id, err)
	}
	var buf bytes.Buffer
	buf.Grow(int(min(file.Length, MaxPhotoFile)))
	if _, err := s.photos().DownloadToStream(ctx, oid, &buf); err != nil {
		if errors.Is(err, mongo.ErrFileNotFound) {
			return nil, "", fieldlog.ErrNotFound
		}
		return nil, "", fmt.Errorf("read photo file %s: %w", id, err)
	}
	return buf.Bytes(), file.Metadata.ContentType, nil
}
