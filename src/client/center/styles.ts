// The Email center's look, scoped under .em-center (and .em-composer for the drawer). One
// stylesheet rendered with the page keeps the bundle free of a CSS-in-JS dependency.
export const CENTER_CSS = `
.em-center{display:flex;min-height:480px;background:#fff;border-top:1px solid #f0f0f0;overflow:hidden}
.em-side{width:248px;flex:none;display:flex;flex-direction:column;border-right:1px solid #f0f0f0;background:#fafafa}
.em-side-top{padding:16px 12px 8px;display:flex;flex-direction:column;gap:10px}
.em-side-top .em-write{height:44px;border-radius:14px;font-weight:500;box-shadow:0 1px 2px rgba(0,0,0,.08)}
.em-folders{flex:1;overflow:auto;padding:4px 8px}
.em-folder{display:flex;align-items:center;gap:12px;height:32px;padding:0 12px;border-radius:16px;cursor:pointer;color:rgba(0,0,0,.78);font-size:14px;user-select:none}
.em-folder:hover{background:rgba(0,0,0,.05)}
.em-folder:focus-visible{outline:2px solid #1677ff;outline-offset:-2px}
.em-folder.em-active{background:#d3e3fd;color:#041e49;font-weight:600}
.em-folder .em-folder-name{flex:1;overflow:hidden;text-overflow:ellipsis;white-space:nowrap}
.em-folder.em-has-unread .em-folder-name{font-weight:600}
.em-folder .em-folder-count{font-size:12px;font-weight:600}
.em-folder-group{padding:14px 12px 4px;font-size:12px;color:rgba(0,0,0,.45);text-transform:none;overflow:hidden;text-overflow:ellipsis;white-space:nowrap}
.em-side-bottom{padding:8px 12px 12px;border-top:1px solid #f0f0f0}
.em-main{flex:1;min-width:0;display:flex;flex-direction:column}
.em-head{display:flex;align-items:center;gap:12px;padding:10px 16px;border-bottom:1px solid #f0f0f0}
.em-head .ant-input-search{max-width:560px}
.em-toolbar{display:flex;align-items:center;gap:4px;padding:6px 12px;min-height:44px;border-bottom:1px solid #f0f0f0}
.em-toolbar .em-spacer{flex:1}
.em-pager{color:rgba(0,0,0,.55);font-size:12px;padding:0 4px;white-space:nowrap}
.em-banners{display:flex;flex-direction:column;gap:8px;padding:8px 16px 0}
.em-banners:empty{display:none}
.em-list{flex:1;overflow:auto}
.em-list .ant-table{font-size:14px}
.em-list .ant-table-tbody>tr>td{padding:0 8px;height:40px;border-bottom:1px solid #f2f2f2;cursor:pointer;white-space:nowrap}
.em-list .ant-table-tbody>tr>td.ant-table-selection-column{padding-left:16px;width:44px}
.em-list .ant-table-tbody>tr.em-read>td{background:#f8fafd}
.em-list .ant-table-tbody>tr.em-unread>td{background:#fff}
.em-list .ant-table-tbody>tr:hover>td{box-shadow:inset 0 -1px 0 #e0e0e0;background:#f2f6fc}
.em-list .ant-table-tbody>tr.ant-table-row-selected>td{background:#c2dbff}
.em-who{max-width:200px;overflow:hidden;text-overflow:ellipsis}
.em-unread .em-who,.em-unread .em-subject,.em-unread .em-date{font-weight:700;color:rgba(0,0,0,.92)}
.em-read .em-who,.em-read .em-subject{color:rgba(0,0,0,.75)}
.em-count{color:rgba(0,0,0,.5);font-size:12px;margin-left:4px;font-weight:400}
.em-line{overflow:hidden;text-overflow:ellipsis}
.em-snippet{color:rgba(0,0,0,.5);font-weight:400}
.em-date{font-size:12px;color:rgba(0,0,0,.6);text-align:right}
.em-empty{padding:64px 16px}
.em-thread{flex:1;min-height:0;display:flex;flex-direction:column}
.em-thread-scroll{flex:1;overflow:auto;padding:8px 24px 32px}
.em-thread-subject{font-size:22px;font-weight:400;margin:12px 0 16px 48px;color:rgba(0,0,0,.88);word-break:break-word}
.em-thread-count{font-size:12px;color:rgba(0,0,0,.55);border:1px solid #d9d9d9;border-radius:4px;padding:0 6px;margin-left:10px;vertical-align:middle}
.em-message{border-bottom:1px solid #f0f0f0}
.em-message-head{display:flex;gap:12px;align-items:flex-start;padding:12px 0;cursor:pointer}
.em-message-head:focus-visible{outline:2px solid #1677ff}
.em-message-who{flex:1;min-width:0}
.em-message-from{display:flex;gap:6px;align-items:baseline;overflow:hidden}
.em-from-name{font-weight:600;color:rgba(0,0,0,.88);white-space:nowrap}
.em-from-address{font-size:12px;color:rgba(0,0,0,.55);white-space:nowrap;overflow:hidden;text-overflow:ellipsis}
.em-message-snippet,.em-recipients{font-size:12px;color:rgba(0,0,0,.55);overflow:hidden;text-overflow:ellipsis;white-space:nowrap}
.em-recipients{white-space:normal}
.em-label{color:rgba(0,0,0,.45)}
.em-message-date{display:flex;gap:8px;align-items:center;font-size:12px;color:rgba(0,0,0,.55);white-space:nowrap}
.em-message-body{padding:0 0 8px 48px}
.em-message-actions{padding:8px 0 20px 48px}
.em-plain-text{white-space:pre-wrap;word-wrap:break-word;overflow-wrap:anywhere;font-size:14px;line-height:1.5}
.em-images-bar{display:flex;align-items:center;gap:8px;padding:6px 12px;margin-bottom:12px;background:#f5f5f5;border-radius:6px;font-size:13px;color:rgba(0,0,0,.7)}
.em-attachments{margin-top:16px;padding-top:12px;border-top:1px dashed #eee;display:flex;flex-direction:column;gap:8px}
.em-attachments-title{font-size:12px}
.em-attachment{display:inline-flex;align-items:center;gap:6px;max-width:320px}
.em-attachment-name{overflow:hidden;text-overflow:ellipsis;white-space:nowrap;max-width:200px}
.em-composer .em-compose-form .ant-form-item{margin-bottom:0;border-bottom:1px solid #f0f0f0}
.em-composer .em-compose-form .ant-form-item-label>label{color:rgba(0,0,0,.55)}
.em-composer .em-compose-form .em-per-recipient{border-bottom:0;padding:4px 0}
.em-editor{margin-top:8px}
.em-editor-toolbar{padding:2px 0;border-bottom:1px solid #f5f5f5;width:100%}
.em-editor-body{min-height:280px;padding:10px 2px;font-size:14px;line-height:1.5;outline:none;word-wrap:break-word;overflow-wrap:anywhere}
.em-editor-body blockquote{margin:0 0 0 .8ex;border-left:1px solid #ccc;padding-left:1ex;color:rgba(0,0,0,.65)}
.em-editor-body ul,.em-editor-body ol{padding-left:24px}
.em-editor-body p{margin:0}
.em-drop{min-height:100%;border:2px dashed transparent;border-radius:8px}
.em-drop.em-dragging{border-color:#1677ff;background:#f0f7ff}
.em-upload{display:flex;align-items:center;gap:8px;font-size:13px}
.em-upload-name{overflow:hidden;text-overflow:ellipsis;white-space:nowrap;max-width:300px}
.em-upload-size,.em-attachments-total{font-size:12px;color:rgba(0,0,0,.5)}
.em-composer-footer{display:flex;align-items:center;gap:8px}
.em-composer-footer .em-spacer{flex:1}
.em-save-state{font-size:12px}
.em-drafts{border-bottom:1px solid #f0f0f0}
.em-draft{display:flex;align-items:center;gap:10px;height:40px;padding:0 16px;border-bottom:1px solid #f2f2f2;cursor:pointer;white-space:nowrap;overflow:hidden}
.em-draft:hover{background:#f2f6fc}
.em-draft .em-who{width:180px;flex:none;color:#c5221f}
.em-outbox{flex:1;min-height:0;display:flex;flex-direction:column}
.em-outbox-detail{font-size:12px;color:rgba(0,0,0,.55);white-space:normal}
`;
