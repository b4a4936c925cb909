package model

// Movie and Person are Apollo Federation entities (schema/federation.graphqls).

// IsEntity marks Movie as a member of federation's _Entity union.
func (Movie) IsEntity() {}

// IsEntity marks Person as a member of federation's _Entity union.
func (Person) IsEntity() {}
