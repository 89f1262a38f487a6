package memory

import (
	"context"
	"errors"
	"slices"
	"strconv"

	"fieldlog"
)

var _ fieldlog.PhotoFiles = (*Store)(nil)

type photoFile struct {
	data        []byte
	contentType string
}

// SavePhotoFile stores a copy of data and returns its new id.
func (s *Store) SavePhotoFile(_ context.Context, data []byte, contentType string) (string, error) {
	if len(data) == 0 {
		return "", errors.New("save photo file: no data")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.photos == nil {
		s.photos = map[string]photoFile{}
	}
	id := "m" + strconv.Itoa(len(s.photos)+1)
	s.photos[id] = photoFile{slices.Clone(data), contentType}
	return id, nil
}

// DeletePhotoFile removes the file with id, if it is there.
func (s *Store) DeletePhotoFile(_ context.Context, id string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.photos, id)
	return nil
}

// PhotoFile returns a copy of the file with id, or fieldlog.ErrNotFound.
func (s *Store) PhotoFile(_ context.Context, id string) ([]byte, string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	f, ok := s.photos[id]
	if !ok {
		return nil, "", fieldlog.ErrNotFound
	}
	return slices.Clone(f.data), f.contentType, nil
}
