package web

import (
	"bytes"
	"errors"
	"image"
	"image/color"
	"image/jpeg"
	_ "image/png" // decoders of the accepted types
	"io"
	"net/http"
	"strconv"
	"strings"

	"golang.org/x/image/draw"
	_ "golang.org/x/image/webp"

	"fieldlog"
)

// Uploaded photos: sniffed, decoded within a pixel budget, downscaled and
// stored as JPEG. Nothing the browser says of a file is believed.

// accepted are the sniffed types taken as photos.
var accepted = map[string]bool{"image/jpeg": true, "image/png": true, "image/webp": true}

// parseBody reads a POST's form under the upload cap. It reports false,
// having answered, when the body is too large or unreadable.
//
// Only a signed-in user's form may carry photos: anyone else's body is
// capped at MaxFormBytes, so that nobody unknown makes the server read
// megabytes.
func (q *req) parseBody() bool {
	multipart := strings.HasPrefix(q.r.Header.Get("Content-Type"), "multipart/form-data")
	limit := int64(MaxFormBytes)
	if multipart && q.user.ID != 0 {
		limit = q.s.cfg.MaxUploadBytes
	}
	q.r.Body = http.MaxBytesReader(q.w, q.r.Body, limit)
	var err error
	if multipart {
		err = q.r.ParseMultipartForm(8 << 20)
	} else {
		err = q.r.ParseForm()
	}
	var tooBig *http.MaxBytesError
	switch {
	case errors.As(err, &tooBig):
		q.w.WriteHeader(http.StatusRequestEntityTooLarge)
		_ = q.render("message", map[string]any{"Text": q.tr("web_upload_too_large", "Size", size(limit))})
		return false
	case err != nil:
		q.w.WriteHeader(http.StatusBadRequest)
		_ = q.render("message", map[string]any{"Text": q.tr("web_form_stale")})
		return false
	}
	return true
}

// size is a byte count as the messages give it.
func size(n int64) string {
	if n >= 1<<20 {
		return strconv.FormatInt(n>>20, 10) + " MB"
	}
	return strconv.FormatInt(max(1, n>>10), 10) + " KB"
}

// readPhotos returns the uploaded photos as JPEG, ready to store, or the
// message of the first that is refused.
func (q *req) readPhotos() ([][]byte, string) {
	if q.r.MultipartForm == nil {
		return nil, ""
	}
	var out [][]byte
	for _, fh := range q.r.MultipartForm.File["photos"] {
		if fh.Size == 0 {
			continue // the empty file of a field left as it was
		}
		if len(out) >= fieldlog.MaxPhotos {
			return nil, q.tr("photos_full", "Max", fieldlog.MaxPhotos)
		}
		if fh.Size > q.s.cfg.MaxPhotoBytes {
			return nil, q.tr("web_photo_too_large", "Name", fh.Filename, "Size", size(q.s.cfg.MaxPhotoBytes))
		}
		f, err := fh.Open()
		if err != nil {
			return nil, q.tr("web_photo_not_image", "Name", fh.Filename)
		}
		data, err := io.ReadAll(io.LimitReader(f, q.s.cfg.MaxPhotoBytes+1))
		f.Close()
		if err != nil || int64(len(data)) > q.s.cfg.MaxPhotoBytes {
			return nil, q.tr("web_photo_too_large", "Name", fh.Filename, "Size", size(q.s.cfg.MaxPhotoBytes))
		}
		jpg, problem := q.s.photoJPEG(data)
		switch problem {
		case "":
		case "pixels":
			return nil, q.tr("web_photo_too_many_pixels", "Name", fh.Filename)
		default:
			return nil, q.tr("web_photo_not_image", "Name", fh.Filename)
		}
		out = append(out, jpg)
	}
	return out, ""
}

// photoJPEG turns an uploaded file into the JPEG stored, at most
// PhotoLongSide on its long side. problem is "type" for a file that is not
// a photo of an accepted type, "pixels" for one too large to decode.
func (s *Server) photoJPEG(data []byte) (jpg []byte, problem string) {
	if !accepted[http.DetectContentType(data)] {
		return nil, "type"
	}
	cfg, _, err := image.DecodeConfig(bytes.NewReader(data))
	if err != nil || cfg.Width <= 0 || cfg.Height <= 0 {
		return nil, "type"
	}
	// Checked before decoding: a small file may claim a huge image, and
	// one of 16 bits a channel takes twice the memory of one of 8.
	if int64(cfg.Width)*int64(cfg.Height)*bytesPerPixel(cfg.ColorModel) > 4*int64(s.cfg.MaxPixels) {
		return nil, "pixels"
	}
	// One decode at a time for each core: each may hold a few hundred MB.
	s.decodes <- struct{}{}
	defer func() { <-s.decodes }()
	img, _, err := image.Decode(bytes.NewReader(data))
	if err != nil {
		return nil, "type"
	}
	b := img.Bounds()
	w, h := b.Dx(), b.Dy()
	if long := max(w, h); long > PhotoLongSide {
		w, h = max(1, w*PhotoLongSide/long), max(1, h*PhotoLongSide/long)
	}
	dst := image.NewRGBA(image.Rect(0, 0, w, h))
	// A photo with transparency gets white behind it: JPEG has no alpha.
	draw.Draw(dst, dst.Bounds(), image.White, image.Point{}, draw.Src)
	draw.CatmullRom.Scale(dst, dst.Bounds(), img, b, draw.Over, nil)
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, dst, &jpeg.Options{Quality: 85}); err != nil {
		return nil, "type"
	}
	return buf.Bytes(), ""
}

// MaxFormBytes is the largest body of a form without photos, or of anyone
// not signed in.
const MaxFormBytes = 64 << 10

// bytesPerPixel is what a decoded image of model takes a pixel.
func bytesPerPixel(m color.Model) int64 {
	switch m {
	case color.RGBA64Model, color.NRGBA64Model:
		return 8
	case color.Gray16Model:
		return 2
	case color.GrayModel, color.AlphaModel:
		return 1
	}
	return 4
}
