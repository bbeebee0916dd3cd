package domain

// Site is everything the hub is seeded with: the demo site, or a small site's master data.
type Site struct {
	Name        string       `json:"name"`
	EnrollKey   string       `json:"enroll_key"` // devices present it once to get their token
	Items       []Item       `json:"items"`
	Locations   []Location   `json:"locations"`
	Users       []User       `json:"users"`
	Orders      []Order      `json:"orders"`
	CartonTypes []CartonType `json:"carton_types"`
	// Stock says where each SKU is picked from: SKU -> location code.
	Stock map[string]string `json:"stock"`
}
