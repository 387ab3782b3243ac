package main

import (
	"crypto/rand"
	"encoding/base64"
	"path/filepath"
	"slices"
	"time"

	"github.com/hubauth/hubauth/resource"
)

// timeFormat is NOMAD's: UTC, microseconds, no zone ("2024-07-16T13:57:53.459000").
const timeFormat = "2006-01-02T15:04:05.000000"

// Upload is an upload with NOMAD's fields, in the order NOMAD's
// GET /api/v1/uploads answers them. Only metadata is kept: there are no
// files, so processing is complete as soon as the upload exists. Users
// are hub subjects (sub); groups are hub group names.
type Upload struct {
	ProcessRunning        bool     `json:"process_running"`
	CurrentProcess        string   `json:"current_process"`
	ProcessStatus         string   `json:"process_status"`
	LastStatusMessage     string   `json:"last_status_message"`
	Errors                []string `json:"errors"`
	Warnings              []string `json:"warnings"`
	CompleteTime          string   `json:"complete_time"`
	UploadID              string   `json:"upload_id"`
	UploadName            string   `json:"upload_name"`
	UploadCreateTime      string   `json:"upload_create_time"`
	MainAuthor            string   `json:"main_author"`
	Coauthors             []string `json:"coauthors"`
	CoauthorGroups        []string `json:"coauthor_groups"`
	Reviewers             []string `json:"reviewers"`
	ReviewerGroups        []string `json:"reviewer_groups"`
	Writers               []string `json:"writers"`
	WriterGroups          []string `json:"writer_groups"`
	Viewers               []string `json:"viewers"`
	ViewerGroups          []string `json:"viewer_groups"`
	Published             bool     `json:"published"`
	PublishedTo           []string `json:"published_to"`
	PublishTime           string   `json:"publish_time,omitempty"`
	WithEmbargo           bool     `json:"with_embargo"`
	EmbargoLength         int      `json:"embargo_length"`
	License               string   `json:"license"`
	Entries               int      `json:"entries"`
	UploadFilesServerPath string   `json:"upload_files_server_path"`
}

// newUpload is the upload main author c creates from in, at now.
func newUpload(c resource.Caller, in createRequest, filesDir string, now time.Time) Upload {
	id := newID()
	created := now.UTC().Format(timeFormat)
	u := Upload{
		CurrentProcess: "process_upload", ProcessStatus: "SUCCESS",
		LastStatusMessage: "Process process_upload completed successfully",
		Errors:            []string{}, Warnings: []string{}, CompleteTime: created,
		UploadID: id, UploadName: in.UploadName, UploadCreateTime: created, MainAuthor: c.Subject,
		Coauthors: list(in.Coauthors), CoauthorGroups: list(in.CoauthorGroups),
		Reviewers: list(in.Reviewers), ReviewerGroups: list(in.ReviewerGroups),
		PublishedTo: []string{}, License: "CC BY 4.0",
		UploadFilesServerPath: filepath.Join(filesDir, "staging", id[:1], id),
	}
	u.derive()
	return u
}

// derive sets the derived roles as NOMAD does: writers are the main author
// and the coauthors, viewers the writers and the reviewers.
func (u *Upload) derive() {
	u.Writers = unique(append([]string{u.MainAuthor}, u.Coauthors...))
	u.WriterGroups = unique(slices.Clone(u.CoauthorGroups))
	u.Viewers = unique(append(slices.Clone(u.Writers), u.Reviewers...))
	u.ViewerGroups = unique(append(slices.Clone(u.CoauthorGroups), u.ReviewerGroups...))
}

// canView reports whether c holds any role on u, directly or through one
// of its groups.
func (u *Upload) canView(c resource.Caller) bool {
	return slices.Contains(u.Viewers, c.Subject) || slices.ContainsFunc(u.ViewerGroups, c.InGroup)
}

// canWrite reports whether c is the main author or a coauthor, directly
// or through a group.
func (u *Upload) canWrite(c resource.Caller) bool {
	return slices.Contains(u.Writers, c.Subject) || slices.ContainsFunc(u.WriterGroups, c.InGroup)
}

// publish publishes u at now with an embargo of months (0: none).
func (u *Upload) publish(months int, now time.Time) {
	u.Published = true
	u.PublishTime = now.UTC().Format(timeFormat)
	u.EmbargoLength = months
	u.WithEmbargo = months > 0
}

// embargoEnd is when u becomes public; zero when it is not published.
func (u *Upload) embargoEnd() time.Time {
	t, err := time.Parse(timeFormat, u.PublishTime)
	if err != nil {
		return time.Time{}
	}
	return t.AddDate(0, u.EmbargoLength, 0)
}

// newID returns a NOMAD-style id: 16 random bytes, base64url ("VWGLXmy4S2-cdeteN2Xxaw").
func newID() string {
	b := make([]byte, 16)
	rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

// list returns l, never nil: NOMAD answers [] for an empty role.
func list(l []string) []string {
	if l == nil {
		return []string{}
	}
	return l
}

// unique drops repeated entries, keeping the first of each.
func unique(l []string) []string {
	out := []string{}
	for _, s := range l {
		if !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	return out
}
