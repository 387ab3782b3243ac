package compat

import (
	"bytes"
	"encoding/json"
	"errors"
	"strings"
)

// errOTPType: a JSON otp that is neither a string nor a code's digits.
var errOTPType = errors.New(`field "otp" is not a code: send the 6 digits or the recovery code as a string`)

// otpValue is the otp of a JSON body: a string, or the authenticator's
// code as a JSON number (as clients that parse it as one send it), whose
// leading zeros the number lost are put back.
type otpValue string

// UnmarshalJSON takes a string, or a whole number of at most 6 digits.
func (o *otpValue) UnmarshalJSON(b []byte) error {
	if len(b) > 0 && b[0] == '"' {
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		*o = otpValue(s)
		return nil
	}
	if bytes.Equal(b, []byte("null")) {
		return nil
	}
	if len(b) == 0 || len(b) > 6 || strings.Trim(string(b), "0123456789") != "" {
		return errOTPType
	}
	*o = otpValue(strings.Repeat("0", 6-len(b)) + string(b))
	return nil
}
