// Package storagetest is the conformance suite every storage backend passes.
//
// A backend's test calls Run with a function that opens a fresh, empty store:
//
//	func TestConformance(t *testing.T) {
//		storagetest.Run(t, func(t *testing.T) storage.Storage {
//			s, err := sqlite.Open(t.Context(), filepath.Join(t.TempDir(), "hub.db"))
//			if err != nil {
//				t.Fatal(err)
//			}
//			return s
//		})
//	}
//
// Times in the suite are in UTC and whole microseconds, which every backend
// can store exactly.
package storagetest
