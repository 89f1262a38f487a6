package storagetest

import "fieldlog"

// Units is the small organisation tree the engine's, the office's and the
// web page's tests share: a banner with two townships, the first with two
// villages (v1, v2), the second with none.
func Units() []fieldlog.Unit {
	return []fieldlog.Unit{
		{ID: "banner", Level: fieldlog.Banner, Name: fieldlog.Text{fieldlog.Chinese: "乌审旗", fieldlog.Mongolian: "ᠦᠦᠰᠢᠨ ᠬᠣᠰᠢᠭᠤ"}},
		{ID: "town", ParentID: "banner", Level: fieldlog.Township, Name: fieldlog.Text{fieldlog.Chinese: "嘎鲁图镇", fieldlog.Mongolian: "ᠭᠠᠯᠤᠲᠤ ᠪᠠᠯᠭᠠᠰᠤ"}},
		{ID: "v1", ParentID: "town", Level: fieldlog.Village, Name: fieldlog.Text{fieldlog.Chinese: "一村", fieldlog.Mongolian: "ᠨᠢᠭᠡ"}},
		{ID: "v2", ParentID: "town", Level: fieldlog.Village, Name: fieldlog.Text{fieldlog.Chinese: "二村", fieldlog.Mongolian: "ᠬᠣᠶᠠᠷ"}},
		{ID: "town2", ParentID: "banner", Level: fieldlog.Township, Name: fieldlog.Text{fieldlog.Chinese: "苏力德苏木", fieldlog.Mongolian: "ᠰᠦᠯᠳᠡ ᠰᠤᠮᠤ"}},
	}
}
