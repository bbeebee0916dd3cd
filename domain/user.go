package domain

// Role is what a user may do.
type Role string

// Roles known to the hub.
const (
	RoleOperator Role = "operator"
	RoleLead     Role = "lead"
)

// User is a person who logs in to a terminal by scanning a badge.
type User struct {
	ID    string `json:"id"`
	Name  string `json:"name"`
	Badge string `json:"badge"`
	Role  Role   `json:"role"`
}
