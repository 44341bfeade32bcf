/** 繁體中文: end-to-end encryption in the room (see en.ts). */
import type { E2eeCatalog } from './en.js';

export const e2eeZhHant: E2eeCatalog = {
  e2ee: {
    lock: {
      encrypted: '端對端加密',
      waiting: '正在等待加密金鑰',
      warning: '加密警告：與會者名單不一致',
      failed: '無法解密這場會議',
    },
    lockTitle: '{{state}}。查看安全碼',
    dialog: {
      title: '加密',
      encrypted_one:
        '音訊、視訊和聊天皆為端對端加密。只有加密群組中的 {{count}} 人能解密；伺服器只轉送它無法讀取的內容。',
      encrypted_other:
        '音訊、視訊和聊天皆為端對端加密。只有加密群組中的 {{count}} 人能解密；伺服器只轉送它無法讀取的內容。',
      waiting: '你的瀏覽器正在加入加密群組。金鑰送達之前，不會傳送或顯示任何內容。',
      warning:
        '伺服器的與會者名單與加密群組不一致：可能有未經宣告的人在收聽。「與會者」面板列出了持有金鑰的人。',
      codeLabel: '安全碼',
      codeHow:
        '會議中的每個人看到的安全碼都相同。請逐組大聲唸出，並請其他人與自己看到的核對。如果不同，表示可能有人在你們之間攔截。',
      codeChanges: '每當有人加入或離開，安全碼都會改變：之後請再核對一次。',
      noCode: '還沒有安全碼：金鑰送達後就會顯示。',
      showPeople: '查看誰能解密',
    },
    codeChanged: '安全碼已改變，請再核對一次。',
    showCode: '查看安全碼',
    joined: '{{name}} 已加入加密群組，可以解密。',
    left: '{{name}} 已離開加密群組，無法再解密。',
    warning: {
      title: '警告：伺服器的與會者名單與加密群組不一致。',
      body: '可能有未經宣告的人在收聽。',
      unannounced: '在加密群組中但未經宣告：{{names}}。',
      missing: '已宣告但不在加密群組中：{{names}}。',
      details: '查看與會者',
      unknownName: '不明（{{id}}）',
    },
    failed: {
      title: '無法解密這場會議',
      body: '你看不到也聽不到會議中的任何內容，你傳送的內容也無法被讀取。',
    },
    failure: {
      e2ee_unsupported: '這個瀏覽器無法對通話進行端對端加密。請在電腦上使用最新版本的瀏覽器加入。',
      mls_join_failed: '你的瀏覽器無法加入加密群組。請離開後重新加入。',
      mls_removed: '你已被移出加密群組：此後傳送的任何內容你都無法解密。',
      keys_missing: '這場會議的金鑰沒有送達你的瀏覽器。請離開後重新加入。',
      unknown: '你的瀏覽器加密失敗（{{code}}）。請離開後重新加入。',
    },
    tileWaiting: '正在等待加密金鑰',
    people: {
      note: '這份名單就是你的瀏覽器親自驗證的加密群組：名單中的每個人都能解密。',
      identities: '訪客：名字由本人輸入，未經驗證。已登入帳戶：由這部伺服器在登入時驗證。',
      guest: '訪客（名字未經驗證）',
      account: '已登入帳戶',
      notInGroup: '不在加密群組中：無法解密',
      duplicate: '與他人同名：請核對安全碼',
      ghost: '未經伺服器宣告，但能解密',
      unknownName: '不明名字',
    },
  },
};
